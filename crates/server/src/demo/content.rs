//! Realistic help-desk content for the demo: customer conversations in English and Russian,
//! customer names and fictional organisations. Pure generators over constant data, no I/O.

use rand::Rng;
use rand::seq::IndexedRandom;

#[cfg(test)]
pub const CATEGORIES: &[&str] = &[
    "billing",
    "account",
    "technical",
    "shipping",
    "returns",
    "product",
    "security",
    "feedback",
];

/// One generated ticket conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    /// "en" or "ru".
    pub locale: &'static str,
    pub subject: String,
    /// One of [`CATEGORIES`].
    pub category: &'static str,
    /// Up to three short lowercase tags.
    pub tags: Vec<&'static str>,
    /// "low", "normal", "high" or "urgent".
    pub priority: &'static str,
    /// The support line that should own the ticket: 1, 2 or 3.
    pub tier: u8,
    /// Alternating turns, starting with the customer's first message. `true` = customer wrote it, `false` = agent.
    pub turns: Vec<(bool, String)>,
    /// An optional internal note an agent leaves (agents-only).
    pub internal_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    /// ASCII, unique per serial.
    pub email: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Company {
    pub name: &'static str,
    /// A host under example.com, example.ru or example.org.
    pub domain: &'static str,
}

pub const COMPANIES: &[Company] = &[
    Company {
        name: "Northwind Traders",
        domain: "northwind.example.com",
    },
    Company {
        name: "Bluebird Logistics",
        domain: "bluebird-logistics.example.com",
    },
    Company {
        name: "Lumen Health Partners",
        domain: "lumenhealth.example.org",
    },
    Company {
        name: "Greenfield Books",
        domain: "greenfield-books.example.com",
    },
    Company {
        name: "Harbor & Pine Outfitters",
        domain: "harborpine.example.com",
    },
    Company {
        name: "Open Data Foundation",
        domain: "opendata.example.org",
    },
    Company {
        name: "ООО «Северный ветер»",
        domain: "severny-veter.example.ru",
    },
    Company {
        name: "АО «ТехноСфера»",
        domain: "technosfera.example.ru",
    },
    Company {
        name: "Книжный дом «Буквица»",
        domain: "bukvitsa.example.ru",
    },
    Company {
        name: "ООО «Ромашка»",
        domain: "romashka.example.ru",
    },
    Company {
        name: "Фонд «Открытый код»",
        domain: "otkrytyi-kod.example.org",
    },
];

/// A random conversation: about 60% English, 40% Russian.
pub fn conversation<R: Rng + ?Sized>(rng: &mut R) -> Conversation {
    let locale = if rng.random_bool(0.6) { &EN } else { &RU };
    let scenario = pick(rng, locale.scenarios);
    let index = rng.random_range(0..scenario.threads.len());
    let thread = &scenario.threads[index];
    let vars = Vars::new(rng, locale);

    let opening = vars.render(pick_str(rng, scenario.openings));
    let first_message = compose(&[
        pick_str(rng, locale.greetings),
        opening.as_str(),
        pick_str(rng, locale.closers),
    ]);
    let reply = vars.render(thread.reply);
    let first_reply = compose(&[pick_str(rng, locale.agent_greetings), reply.as_str()]);
    let script = [
        (true, first_message),
        (false, first_reply),
        (true, vars.render(thread.follow_up)),
        (false, vars.render(thread.resolution)),
        (true, pick_str(rng, locale.thanks).to_owned()),
        (false, pick_str(rng, locale.farewells).to_owned()),
    ];
    let turns = script.into_iter().take(turn_count(rng)).collect();

    Conversation {
        locale: locale.code,
        subject: vars.render(pick_str(rng, scenario.subjects)),
        category: scenario.category,
        tags: tags(rng, scenario.tags),
        priority: scenario.priority.roll(rng),
        tier: tier(rng, scenario.tier),
        turns,
        internal_note: scenario
            .notes
            .get(index)
            .filter(|_| rng.random_bool(0.3))
            .map(|note| vars.render(note)),
    }
}

/// A customer with a name typical for `locale` ("ru" gives Cyrillic names; anything else English)
/// and an ASCII email made unique by `serial`.
pub fn person<R: Rng + ?Sized>(rng: &mut R, locale: &str, serial: u64) -> Person {
    let (first, last, domain) = if locale == "ru" {
        let female = rng.random_bool(0.5);
        let names = if female {
            RU_FEMALE_NAMES
        } else {
            RU_MALE_NAMES
        };
        let first = pick_str(rng, names);
        let surname = pick_str(rng, RU_SURNAMES);
        let last = if female {
            feminine_surname(surname)
        } else {
            surname.to_owned()
        };
        (first, last, "example.ru")
    } else {
        (
            pick_str(rng, EN_FIRST_NAMES),
            pick_str(rng, EN_SURNAMES).to_owned(),
            "example.com",
        )
    };
    Person {
        email: format!(
            "{}.{}{serial}@{domain}",
            email_slug(first),
            email_slug(&last)
        ),
        name: format!("{first} {last}"),
    }
}

fn pick<'a, T, R: Rng + ?Sized>(rng: &mut R, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn pick_str<R: Rng + ?Sized>(rng: &mut R, items: &[&'static str]) -> &'static str {
    items.choose(rng).copied().unwrap_or_default()
}

/// Two items, different whenever the slice has more than one.
fn pick_two<'a, T, R: Rng + ?Sized>(rng: &mut R, items: &'a [T]) -> (&'a T, &'a T) {
    let first = rng.random_range(0..items.len());
    let offset = rng.random_range(1..items.len().max(2));
    (&items[first], &items[(first + offset) % items.len()])
}

/// Joins the non-empty parts as paragraphs.
fn compose(parts: &[&str]) -> String {
    parts
        .iter()
        .copied()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Many tickets stop at the first message; a few run the whole six turns.
fn turn_count<R: Rng + ?Sized>(rng: &mut R) -> usize {
    match rng.random_range(0..100) {
        0..35 => 1,
        35..55 => 2,
        55..70 => 3,
        70..85 => 4,
        85..93 => 5,
        _ => 6,
    }
}

fn tags<R: Rng + ?Sized>(rng: &mut R, pool: &'static [&'static str]) -> Vec<&'static str> {
    let wanted = match rng.random_range(0..100) {
        0..15 => 0,
        15..50 => 1,
        50..85 => 2,
        _ => 3,
    };
    let mut tags: Vec<&'static str> = pool.choose_multiple(rng, wanted).copied().collect();
    if tags.len() < 3 && rng.random_bool(0.06) {
        tags.push("vip");
    }
    tags
}

/// Technical tickets are occasionally escalated to the third line.
fn tier<R: Rng + ?Sized>(rng: &mut R, base: u8) -> u8 {
    if base == 2 && rng.random_bool(0.04) {
        3
    } else {
        base
    }
}

#[derive(Debug, Clone, Copy)]
enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    /// The scenario's usual priority, sometimes one step off as customers and agents see it differently.
    fn roll<R: Rng + ?Sized>(self, rng: &mut R) -> &'static str {
        match (self, rng.random_range(0..100)) {
            (Self::Low, 0..15) => "normal",
            (Self::Low, _) => "low",
            (Self::Normal, 0..6) => "low",
            (Self::Normal, 6..14) => "high",
            (Self::Normal, _) => "normal",
            (Self::High, 0..20) => "normal",
            (Self::High, 20..23) => "urgent",
            (Self::High, _) => "high",
            (Self::Urgent, 0..15) => "high",
            (Self::Urgent, _) => "urgent",
        }
    }
}

/// An agent reply with the customer's answer to it and the agent's closing message.
struct Thread {
    reply: &'static str,
    follow_up: &'static str,
    resolution: &'static str,
}

/// One kind of ticket. Every opening must read well with every thread.
struct Scenario {
    category: &'static str,
    tags: &'static [&'static str],
    priority: Priority,
    tier: u8,
    subjects: &'static [&'static str],
    openings: &'static [&'static str],
    threads: &'static [Thread],
    /// Internal notes, one per thread and in the same order.
    notes: &'static [&'static str],
}

/// A product name in the grammatical cases the templates need (identical in English).
struct Product {
    nominative: &'static str,
    accusative: &'static str,
    genitive: &'static str,
}

const fn product(name: &'static str) -> Product {
    Product {
        nominative: name,
        accusative: name,
        genitive: name,
    }
}

struct Locale {
    code: &'static str,
    scenarios: &'static [Scenario],
    /// Customer greetings and sign-offs around the first message; "" means none.
    greetings: &'static [&'static str],
    closers: &'static [&'static str],
    agent_greetings: &'static [&'static str],
    /// The customer's last word and the agent's farewell in long conversations.
    thanks: &'static [&'static str],
    farewells: &'static [&'static str],
    products: &'static [Product],
    amounts: &'static [&'static str],
    plans: &'static [&'static str],
    carriers: &'static [&'static str],
    /// Where a suspicious login came from; for Russian in the genitive ("из Стамбула").
    cities: &'static [&'static str],
    companies: &'static [&'static str],
    browsers: &'static [&'static str],
    /// For Russian in the genitive ("12 марта").
    months: &'static [&'static str],
    day_first: bool,
    order_prefix: &'static str,
    tax_prefix: &'static str,
    tax_digits: u32,
}

/// Placeholder values for one conversation, so the same order number or amount recurs in every turn.
struct Vars(Vec<(&'static str, String)>);

impl Vars {
    fn new<R: Rng + ?Sized>(rng: &mut R, locale: &Locale) -> Self {
        let (product, other) = pick_two(rng, locale.products);
        let day = rng.random_range(1..29);
        let month = pick_str(rng, locale.months);
        let date = if locale.day_first {
            format!("{day} {month}")
        } else {
            format!("{month} {day}")
        };
        let tax_low = 10u64.pow(locale.tax_digits - 1);
        Self(vec![
            (
                "order",
                format!(
                    "{}{}",
                    locale.order_prefix,
                    rng.random_range(10_000..100_000)
                ),
            ),
            ("product", product.nominative.to_owned()),
            ("product_acc", product.accusative.to_owned()),
            ("product_gen", product.genitive.to_owned()),
            ("other", other.nominative.to_owned()),
            ("other_acc", other.accusative.to_owned()),
            ("date", date),
            ("amount", pick_str(rng, locale.amounts).to_owned()),
            ("plan", pick_str(rng, locale.plans).to_owned()),
            ("carrier", pick_str(rng, locale.carriers).to_owned()),
            ("city", pick_str(rng, locale.cities).to_owned()),
            ("company", pick_str(rng, locale.companies).to_owned()),
            ("browser", pick_str(rng, locale.browsers).to_owned()),
            ("device", pick_str(rng, DEVICES).to_owned()),
            ("endpoint", pick_str(rng, ENDPOINTS).to_owned()),
            ("card", format!("{:04}", rng.random_range(0..10_000))),
            (
                "invoice",
                format!("INV-{}", rng.random_range(10_000..100_000)),
            ),
            (
                "tax_id",
                format!(
                    "{}{}",
                    locale.tax_prefix,
                    rng.random_range(tax_low..tax_low * 10)
                ),
            ),
            (
                "tracking",
                format!(
                    "{}{}",
                    pick_str(rng, TRACKING_PREFIXES),
                    rng.random_range(100_000_000..1_000_000_000)
                ),
            ),
            (
                "version",
                format!(
                    "{}.{}.{}",
                    rng.random_range(3..7),
                    rng.random_range(0..20),
                    rng.random_range(0..6)
                ),
            ),
            (
                "time",
                format!(
                    "{:02}:{:02}",
                    rng.random_range(0..24),
                    rng.random_range(0..60)
                ),
            ),
            (
                "ip",
                format!(
                    "{}.{}.{}.{}",
                    rng.random_range(5..224),
                    rng.random_range(0..256),
                    rng.random_range(0..256),
                    rng.random_range(1..255)
                ),
            ),
            (
                "request_id",
                format!("req_{:012x}", rng.random::<u64>() >> 16),
            ),
        ])
    }

    /// Replaces each `{key}` in `template`; unknown keys are left as they are.
    fn render(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            out.push_str(&rest[..open]);
            let key = &after[..close];
            match self.0.iter().find(|(k, _)| *k == key) {
                Some((_, value)) => out.push_str(value),
                None => out.push_str(&rest[open..open + close + 2]),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

fn feminine_surname(male: &str) -> String {
    if let Some(stem) = male.strip_suffix("ий").filter(|s| s.ends_with('к')) {
        format!("{stem}ая")
    } else if let Some(stem) = male.strip_suffix("ой") {
        format!("{stem}ая")
    } else if ["ов", "ев", "ёв", "ин", "ын"]
        .iter()
        .any(|end| male.ends_with(end))
    {
        format!("{male}а")
    } else {
        male.to_owned()
    }
}

/// Lowercase ASCII letters and digits, with Cyrillic transliterated.
fn email_slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if let Some(latin) = transliterate(c) {
            slug.push_str(latin);
        }
    }
    slug
}

fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' | 'ы' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

const DEVICES: &[&str] = &[
    "iPhone 13",
    "iPhone 15 Pro",
    "iPhone SE",
    "Pixel 7",
    "Pixel 8a",
    "Samsung Galaxy S23",
    "Samsung Galaxy A54",
    "Xiaomi Redmi Note 12",
];

const ENDPOINTS: &[&str] = &[
    "/v2/orders",
    "/v2/tickets",
    "/v2/customers/export",
    "/v2/invoices",
    "/v2/contacts/search",
    "/v2/reports/daily",
];

const TRACKING_PREFIXES: &[&str] = &["1Z", "CX", "EA", "RB", "LP"];

const EN_FIRST_NAMES: &[&str] = &[
    "James",
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Ethan",
    "Sophia",
    "Mason",
    "Isabella",
    "Lucas",
    "Mia",
    "Daniel",
    "Charlotte",
    "Henry",
    "Amelia",
    "Jack",
    "Harper",
    "Samuel",
    "Grace",
    "Priya",
    "Mateo",
    "Aisha",
    "Wei",
    "Chloe",
    "Ryan",
    "Hannah",
    "Omar",
    "Leah",
    "Nathan",
    "Rachel",
    "Tom",
    "Megan",
    "Kevin",
    "Laura",
];

const EN_SURNAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia", "Wilson",
    "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams",
    "Nelson", "Hill", "Patel", "Nguyen", "Kim", "Campbell", "Mitchell", "Carter", "Roberts",
    "Turner", "Phillips", "Evans", "Collins", "Murphy", "Cooper", "O'Brien", "Bennett",
];

const RU_FEMALE_NAMES: &[&str] = &[
    "Анна",
    "Мария",
    "Екатерина",
    "Ольга",
    "Татьяна",
    "Наталья",
    "Елена",
    "Ирина",
    "Светлана",
    "Юлия",
    "Ксения",
    "Дарья",
    "Алина",
    "Полина",
    "Виктория",
    "Анастасия",
    "Марина",
    "Евгения",
    "Софья",
    "Вера",
];

const RU_MALE_NAMES: &[&str] = &[
    "Александр",
    "Дмитрий",
    "Сергей",
    "Андрей",
    "Алексей",
    "Максим",
    "Иван",
    "Михаил",
    "Николай",
    "Артём",
    "Егор",
    "Павел",
    "Роман",
    "Владимир",
    "Кирилл",
    "Денис",
    "Илья",
    "Олег",
    "Игорь",
    "Никита",
];

/// Masculine forms; the feminine ones are derived.
const RU_SURNAMES: &[&str] = &[
    "Смирнов",
    "Иванов",
    "Кузнецов",
    "Попов",
    "Соколов",
    "Лебедев",
    "Козлов",
    "Новиков",
    "Морозов",
    "Петров",
    "Волков",
    "Соловьёв",
    "Васильев",
    "Зайцев",
    "Павлов",
    "Семёнов",
    "Голубев",
    "Виноградов",
    "Богданов",
    "Фёдоров",
    "Михайлов",
    "Орлов",
    "Киселёв",
    "Макаров",
    "Андреев",
    "Ильин",
    "Гусев",
    "Кузьмин",
    "Сорокин",
    "Никитин",
    "Калинин",
    "Ершов",
    "Медведев",
    "Белоусов",
    "Островский",
    "Вишневский",
    "Трубецкой",
    "Шевченко",
    "Черных",
    "Бондаренко",
];

const EN_GREETINGS: &[&str] = &[
    "Hi,",
    "Hello,",
    "Hi there,",
    "Good morning,",
    "Hey,",
    "Hello support team,",
    "",
    "",
];

const EN_CLOSERS: &[&str] = &[
    "Thanks in advance.",
    "Thank you!",
    "Regards.",
    "Appreciate your help.",
    "",
    "",
    "",
];

const EN_AGENT_GREETINGS: &[&str] = &[
    "Hi, thanks for reaching out!",
    "Hello, and thank you for contacting us.",
    "Hi there,",
    "Thanks for getting in touch.",
    "Hello,",
];

const EN_THANKS: &[&str] = &[
    "Thank you, much appreciated.",
    "Great, thanks for the help!",
    "Perfect, thank you!",
    "Thanks for sorting this out so quickly.",
    "Thanks, that's all I needed.",
    "Brilliant, thanks again.",
];

const EN_FAREWELLS: &[&str] = &[
    "You're welcome! I'll close this ticket now, but feel free to reply if anything comes up.",
    "Happy to help. Have a great day!",
    "Glad we could help. Take care!",
    "Anytime! If you have other questions, just reply to this email.",
];

/// Battery-powered gadgets, so that chargers, batteries and apps make sense for every one.
const EN_PRODUCTS: &[Product] = &[
    product("Sonora X2 headphones"),
    product("Nimbus Go portable speaker"),
    product("Pulse 3 fitness tracker"),
    product("Orbi S5 robot vacuum"),
    product("Folio 7 e-reader"),
    product("Aero 4K action camera"),
    product("Tempo smartwatch"),
    product("Brio electric toothbrush"),
];

const EN_AMOUNTS: &[&str] = &[
    "$19.00", "$29.99", "$49.00", "$89.50", "$129.00", "$240.00", "$399.00",
];

const EN_PLANS: &[&str] = &["Starter", "Pro", "Business", "Team"];

const EN_CARRIERS: &[&str] = &["UPS", "FedEx", "DHL", "USPS", "Royal Mail"];

const EN_CITIES: &[&str] = &[
    "São Paulo, Brazil",
    "Jakarta, Indonesia",
    "Bucharest, Romania",
    "Hanoi, Vietnam",
    "Lagos, Nigeria",
    "Lima, Peru",
    "Frankfurt, Germany",
];

const EN_COMPANIES: &[&str] = &[
    "Brightline Studio LLC",
    "Kestrel Analytics Inc.",
    "Harbor & Pine Ltd",
    "Maple Street Dental",
    "Quayside Events Ltd",
];

const EN_BROWSERS: &[&str] = &["Chrome", "Firefox", "Safari", "Edge"];

const EN_MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const RU_GREETINGS: &[&str] = &[
    "Здравствуйте!",
    "Добрый день!",
    "Добрый вечер!",
    "Доброе утро!",
    "Привет!",
    "",
    "",
];

const RU_CLOSERS: &[&str] = &[
    "Спасибо.",
    "Заранее спасибо!",
    "Жду ответа.",
    "С уважением.",
    "",
    "",
    "",
];

const RU_AGENT_GREETINGS: &[&str] = &[
    "Здравствуйте!",
    "Добрый день!",
    "Здравствуйте, спасибо за обращение!",
    "Добрый день! Спасибо, что написали нам.",
];

const RU_THANKS: &[&str] = &[
    "Спасибо большое!",
    "Спасибо, всё понятно.",
    "Отлично, спасибо за помощь!",
    "Спасибо, что так быстро разобрались.",
    "Спасибо, вопрос закрыт.",
    "Благодарю!",
];

const RU_FAREWELLS: &[&str] = &[
    "Рады были помочь! Закрываем обращение, но если что-то понадобится — просто ответьте на это письмо.",
    "Обращайтесь! Хорошего дня.",
    "Всегда пожалуйста. Хорошего вам дня!",
    "Пожалуйста! Если появятся вопросы — пишите.",
];

const RU_PRODUCTS: &[Product] = &[
    Product {
        nominative: "беспроводные наушники Sonora X2",
        accusative: "беспроводные наушники Sonora X2",
        genitive: "беспроводных наушников Sonora X2",
    },
    Product {
        nominative: "портативная колонка Nimbus Go",
        accusative: "портативную колонку Nimbus Go",
        genitive: "портативной колонки Nimbus Go",
    },
    Product {
        nominative: "фитнес-браслет Pulse 3",
        accusative: "фитнес-браслет Pulse 3",
        genitive: "фитнес-браслета Pulse 3",
    },
    Product {
        nominative: "робот-пылесос Orbi S5",
        accusative: "робот-пылесос Orbi S5",
        genitive: "робота-пылесоса Orbi S5",
    },
    Product {
        nominative: "электронная книга Folio 7",
        accusative: "электронную книгу Folio 7",
        genitive: "электронной книги Folio 7",
    },
    Product {
        nominative: "экшн-камера Aero 4K",
        accusative: "экшн-камеру Aero 4K",
        genitive: "экшн-камеры Aero 4K",
    },
    Product {
        nominative: "смарт-часы Tempo",
        accusative: "смарт-часы Tempo",
        genitive: "смарт-часов Tempo",
    },
    Product {
        nominative: "электрическая зубная щётка Brio",
        accusative: "электрическую зубную щётку Brio",
        genitive: "электрической зубной щётки Brio",
    },
];

const RU_AMOUNTS: &[&str] = &[
    "990 ₽",
    "1 490 ₽",
    "2 490 ₽",
    "3 990 ₽",
    "5 290 ₽",
    "12 900 ₽",
    "24 000 ₽",
];

const RU_PLANS: &[&str] = &["«Старт»", "«Про»", "«Бизнес»", "«Команда»"];

const RU_CARRIERS: &[&str] = &["СДЭК", "Boxberry", "DPD", "5Post"];

const RU_CITIES: &[&str] = &[
    "Стамбула",
    "Амстердама",
    "Франкфурта",
    "Сингапура",
    "Новосибирска",
    "Владивостока",
    "Ташкента",
];

const RU_COMPANIES: &[&str] = &[
    "ООО «Вектор»",
    "ООО «Северная звезда»",
    "ИП Кузнецова А. В.",
    "АО «Техноресурс»",
    "ООО «Пекарня у дома»",
];

const RU_BROWSERS: &[&str] = &["Chrome", "Firefox", "Safari", "Яндекс Браузер", "Edge"];

const RU_MONTHS: &[&str] = &[
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

static EN: Locale = Locale {
    code: "en",
    scenarios: EN_SCENARIOS,
    greetings: EN_GREETINGS,
    closers: EN_CLOSERS,
    agent_greetings: EN_AGENT_GREETINGS,
    thanks: EN_THANKS,
    farewells: EN_FAREWELLS,
    products: EN_PRODUCTS,
    amounts: EN_AMOUNTS,
    plans: EN_PLANS,
    carriers: EN_CARRIERS,
    cities: EN_CITIES,
    companies: EN_COMPANIES,
    browsers: EN_BROWSERS,
    months: EN_MONTHS,
    day_first: false,
    order_prefix: "#",
    tax_prefix: "GB",
    tax_digits: 9,
};

static RU: Locale = Locale {
    code: "ru",
    scenarios: RU_SCENARIOS,
    greetings: RU_GREETINGS,
    closers: RU_CLOSERS,
    agent_greetings: RU_AGENT_GREETINGS,
    thanks: RU_THANKS,
    farewells: RU_FAREWELLS,
    products: RU_PRODUCTS,
    amounts: RU_AMOUNTS,
    plans: RU_PLANS,
    carriers: RU_CARRIERS,
    cities: RU_CITIES,
    companies: RU_COMPANIES,
    browsers: RU_BROWSERS,
    months: RU_MONTHS,
    day_first: true,
    order_prefix: "№",
    tax_prefix: "",
    tax_digits: 10,
};

const EN_SCENARIOS: &[Scenario] = &[
    Scenario {
        category: "billing",
        tags: &["refund", "payment", "card"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Charged twice for order {order}",
            "Double charge on my card",
            "Duplicate payment of {amount}",
        ],
        openings: &[
            "I just checked my bank statement and I was charged {amount} twice for order {order}. I only placed the order once. The card ends in {card}. Can you please refund the duplicate?",
            "My card ending in {card} shows two identical charges of {amount} from you on {date}. I definitely only paid once. Please look into this.",
            "The payment page froze at checkout, so I clicked 'Pay' again — and now I've been charged twice for order {order}. How do I get the second payment back?",
        ],
        threads: &[
            Thread {
                reply: "I'm sorry about the trouble. Could you send a screenshot of your bank statement showing both charges? Sometimes the second one is a temporary authorisation hold that drops off by itself within 3–5 business days, but I'd like to confirm before we do anything.",
                follow_up: "Sure, screenshot attached. Both are marked as posted, not pending.",
                resolution: "Thanks for confirming. I've refunded the duplicate charge of {amount}. Depending on your bank it should appear within 5–10 business days. The refund receipt is attached for your records.",
            },
            Thread {
                reply: "Sorry for the inconvenience! I've checked our payment logs and I do see two transactions of {amount} on the card ending in {card}. I've flagged the second one for a refund — could you confirm whether it shows as posted or pending in your banking app?",
                follow_up: "It's posted — it's been there for three days now.",
                resolution: "All done — the duplicate payment has been refunded in full. You'll get a confirmation email shortly, and the money should be back on your card within a week.",
            },
        ],
        notes: &[
            "Checked the payment gateway logs: two captures 4 seconds apart, looks like a double submit at checkout. Refunded the second one.",
            "Duplicate charge confirmed. Second similar report this week — flagged to the payments team.",
        ],
    },
    Scenario {
        category: "billing",
        tags: &["refund", "subscription", "cancellation"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Refund for subscription renewal",
            "Unexpected renewal charge of {amount}",
            "Please refund the {plan} plan renewal",
        ],
        openings: &[
            "My subscription renewed yesterday and I was charged {amount} for the {plan} plan. I meant to cancel before the renewal and haven't used anything since. Is a refund possible?",
            "I cancelled my account last month but was still billed {amount} on {date}. Please refund this and make sure nothing else gets charged.",
            "We've moved to a different tool and no longer need the {plan} plan. The annual renewal of {amount} went through on {date}. Could we get it refunded?",
        ],
        threads: &[
            Thread {
                reply: "Thanks for letting us know. The renewal was recent and there's been no activity on the account since, so you're eligible for a full refund. Could you confirm the email address on the account so I can process it?",
                follow_up: "It's the address I'm writing from. Thanks!",
                resolution: "Done — the subscription is cancelled and {amount} has been refunded to your original payment method. You'll keep access until the end of today.",
            },
            Thread {
                reply: "I've looked into it: the last renewal went through on {date}, and the account hasn't been used since. I can cancel the subscription now and refund that charge — shall I go ahead?",
                follow_up: "Yes, please go ahead.",
                resolution: "Your refund has been processed and the plan is cancelled, so there won't be any further charges. Sorry again for the hassle.",
            },
        ],
        notes: &[
            "Cancellation flow drops at the confirmation step — known UX issue, see product board.",
            "Within the 14-day refund window, no usage. Approved full refund.",
        ],
    },
    Scenario {
        category: "billing",
        tags: &["invoice", "company-details"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Invoice {invoice} needs our company details",
            "Please re-issue invoice with our VAT number",
            "Company name missing on invoice",
        ],
        openings: &[
            "Our finance team can't process invoice {invoice} because it's issued to my personal name. Could you re-issue it to {company}, VAT number {tax_id}?",
            "Could you add our company details to the invoice from {date}? Company: {company}, VAT number {tax_id}. Our accounts department needs it for the expense report.",
            "Every invoice we get is missing our company name. Please add {company}, VAT number {tax_id}, and make sure future invoices include it too.",
        ],
        threads: &[
            Thread {
                reply: "Of course. I've updated the billing profile with {company} and VAT number {tax_id}. Would you like me to re-issue only invoice {invoice}, or all invoices from this year?",
                follow_up: "Just {invoice} for now, please.",
                resolution: "Done — the corrected invoice is attached and is also available in your billing history. Future invoices will include the company details automatically.",
            },
            Thread {
                reply: "Happy to help! I've added the details to your billing profile, so every future invoice will include them. You can also change them yourself under Settings → Billing → Company details. Which past invoices should I re-issue?",
                follow_up: "All of this year's invoices would be great, thank you.",
                resolution: "I've re-issued this year's invoices with your company name and VAT number. You'll find them under Settings → Billing.",
            },
        ],
        notes: &[
            "Re-issued the invoice; the old one is voided in the billing system.",
            "Checked the VAT number — valid.",
        ],
    },
    Scenario {
        category: "billing",
        tags: &["payment", "card", "subscription"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Payment keeps failing",
            "Card declined on renewal",
            "Payment for the {plan} plan declined",
        ],
        openings: &[
            "We got an email saying the payment for our {plan} plan failed. The card ending in {card} works everywhere else. What's going on?",
            "I'm trying to pay for my subscription but every attempt says 'card declined'. I've tried two different cards. The account is going to be suspended on {date}.",
            "I'm trying to update my card details but I get 'Your card was declined', even though the card is brand new. I'm using {browser}.",
        ],
        threads: &[
            Thread {
                reply: "Sorry for the trouble. On our side the payment was declined by the issuing bank with the code 'do not honor', which usually means the bank blocked it as a precaution. Could you check with your bank, or approve the payment in your banking app and try again?",
                follow_up: "The bank said they blocked it as suspicious. I've approved it and I'm trying again now.",
                resolution: "Great, I can see the payment of {amount} went through. Your subscription is active and paid until the next billing period.",
            },
            Thread {
                reply: "Thanks for reporting this. Some banks require 3-D Secure confirmation, and ad blockers can stop the pop-up from appearing. Could you try again with extensions disabled, or in a private window? I've also extended your grace period by 7 days, so nothing will be suspended in the meantime.",
                follow_up: "The private window worked — the 3-D Secure pop-up appeared this time.",
                resolution: "Payment confirmed on our side. Thanks for your patience — no further action needed.",
            },
        ],
        notes: &[
            "Decline code do_not_honor from the issuer, nothing wrong on our side.",
            "Extended the grace period by 7 days while the customer sorts out the card.",
        ],
    },
    Scenario {
        category: "billing",
        tags: &["subscription", "upgrade", "pricing"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Changing from the {plan} plan — how is it billed?",
            "Question about switching plans",
            "Changing plans mid-cycle",
        ],
        openings: &[
            "We're thinking about upgrading from the {plan} plan. If we switch in the middle of the month, do we pay for the whole month again or just the difference?",
            "If I downgrade from {plan} now, will I lose any data? And do I get credit for the unused part of the month?",
            "Can we switch from monthly to annual billing without losing what we've already paid for this month?",
        ],
        threads: &[
            Thread {
                reply: "Good question! Plan changes are prorated: you only pay, or get credited, the difference for the remaining days of the current billing period, and the new price applies from the next renewal. Your data stays intact on every plan.",
                follow_up: "Makes sense. Can you make the switch for us starting today?",
                resolution: "Done — the plan is switched, and the prorated adjustment will appear on your next invoice.",
            },
            Thread {
                reply: "You can change plans any time under Settings → Billing. We never charge twice for the same period: the difference is calculated to the day and shows up on the next invoice. Nothing is deleted when you change plans.",
                follow_up: "Great, thanks. Will the adjustment show as a separate line on the invoice?",
                resolution: "Yes, it appears as a separate line on the next invoice. Let me know if anything looks off.",
            },
        ],
        notes: &[
            "Pre-sales billing question, nothing to do beyond the explanation.",
            "Mentioned the annual discount; the customer will discuss it internally.",
        ],
    },
    Scenario {
        category: "account",
        tags: &["login", "2fa"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "Lost my phone, can't get 2FA codes",
            "Locked out — two-factor authentication",
            "Need to reset 2FA on my account",
        ],
        openings: &[
            "I got a new phone and didn't move my authenticator app over. Now I can't log in because it asks for a 6-digit code, and I don't have the backup codes either. Please help!",
            "My phone was stolen last week and I've been locked out of my account ever since. The two-factor codes were on that phone. How can I get back in?",
            "I've switched from a {device} to a new phone and the authenticator codes don't work anymore. I need access today — we have payroll to run.",
        ],
        threads: &[
            Thread {
                reply: "Sorry to hear that! For security we need to verify your identity before we can turn off two-factor authentication. Please reply from the email address on the account and tell us roughly when you signed up and the last four digits of the card used for billing.",
                follow_up: "Signed up around spring last year, and the card ends in {card}.",
                resolution: "Thanks, your identity is confirmed. I've turned off two-factor authentication on your account. Please log in and set it up again right away, and keep the new backup codes somewhere safe.",
            },
            Thread {
                reply: "I understand how stressful that is. To reset 2FA we need to confirm it's really you: please send a photo of a government ID next to a note with today's date and this ticket's number. We'll delete the image as soon as the check is done.",
                follow_up: "Done, I've sent the photo. Please hurry if you can.",
                resolution: "All verified — 2FA has been reset. When you turn it back on, we recommend printing the backup codes or storing them in a password manager.",
            },
        ],
        notes: &[
            "Verified identity via billing details (card last 4 + signup date). 2FA reset.",
            "ID check passed, photo deleted. Reminded the customer about backup codes.",
        ],
    },
    Scenario {
        category: "account",
        tags: &["login", "email", "password-reset"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Password reset email never arrives",
            "Not receiving the reset link",
            "Forgot password — no email",
        ],
        openings: &[
            "I've requested a password reset four times and no email has come through. I've checked spam. Can you send the link manually?",
            "The password reset email takes almost an hour to arrive, and by then the link has expired. Is something wrong with your mail servers?",
            "I can't log in and the 'forgot password' email isn't showing up. My address is on our corporate domain — could something be blocking it?",
        ],
        threads: &[
            Thread {
                reply: "Sorry about that! I've checked our mail logs, and your mail server is deferring or rejecting our messages. Corporate filters often do this with automated emails. Could you ask your IT team to allow messages from our domain, or give us an alternative address?",
                follow_up: "IT whitelisted your domain and the email came through right away. Thanks, that worked!",
                resolution: "Glad to hear it! If it happens again, just let us know.",
            },
            Thread {
                reply: "Thanks for reaching out. The reset emails were sent, but our email provider had delays earlier today. That's been fixed — could you request a new link once more? Please use the most recent email, as older links are no longer valid.",
                follow_up: "Tried again — got it within a minute this time, and my password is changed.",
                resolution: "Great — you're all set. Have a good day!",
            },
        ],
        notes: &[
            "Mail log shows a 550 rejection from the customer's mail server — corporate filter.",
            "Sending queue backlog at our email provider this morning, now resolved.",
        ],
    },
    Scenario {
        category: "account",
        tags: &["email", "profile"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Change the email on my account",
            "Need to update my login email",
            "How do I change my login email?",
        ],
        openings: &[
            "I'm leaving my company and need to change my login email to a personal address. I still have access to the old inbox for a few days.",
            "How do I change the email address on my account? I can't find the option in the settings.",
            "I've changed my surname and my work email changed with it. How do I update the login email?",
        ],
        threads: &[
            Thread {
                reply: "Sure! You can change it under Profile → Email, and we'll send a confirmation link to the new address. If the field is greyed out, your account is managed by your organisation's admin, who will need to make the change.",
                follow_up: "Found it under Profile. Confirmation link clicked.",
                resolution: "Perfect, the email on your account is updated. Use the new address to log in from now on.",
            },
            Thread {
                reply: "Happy to help. For security I'll send a confirmation to both the old and the new address — please click the link in each, and the change will go through.",
                follow_up: "Both links clicked.",
                resolution: "All done! Your login email has been changed.",
            },
        ],
        notes: &[
            "Customer changed it themselves under Profile; confirmation completed.",
            "Verified ownership of both inboxes before the change.",
        ],
    },
    Scenario {
        category: "account",
        tags: &["gdpr", "privacy", "cancellation"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Please delete my account",
            "Account deletion request",
            "Remove all my personal data",
        ],
        openings: &[
            "I'd like my account and all my personal data deleted. I don't use the service anymore.",
            "Under the GDPR I'm requesting erasure of all the data you hold about me. Please confirm once it's done.",
            "How do I close my account permanently? I can't find a delete button anywhere.",
        ],
        threads: &[
            Thread {
                reply: "We're sorry to see you go. Before we proceed: deletion is permanent and can't be undone, and any active subscription will be cancelled. Please confirm you'd like us to go ahead.",
                follow_up: "Yes, I confirm. Please delete everything.",
                resolution: "Your account and personal data have been deleted. Invoices are kept for the period required by tax law, but they're no longer linked to a profile. Take care!",
            },
            Thread {
                reply: "Thanks for your request. You can delete the account yourself under Settings → Privacy → Delete account. If you prefer, we can do it for you — just confirm by replying to this email.",
                follow_up: "Please do it for me. I confirm.",
                resolution: "Done — the account is scheduled for deletion and will be fully removed within 30 days, including from backups.",
            },
        ],
        notes: &[
            "Erasure request logged in the privacy register. Billing records kept as legally required.",
            "Identity confirmed by a reply from the account email.",
        ],
    },
    Scenario {
        category: "account",
        tags: &["gdpr", "export"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "Data export never arrived",
            "Export stuck at 0%",
            "Data export not working",
        ],
        openings: &[
            "I requested an export of my data in the settings three days ago and still haven't received anything. Could you check?",
            "We're doing an internal audit and need a full export of our workspace — tickets, users and attachments. The export has been stuck at 0% since {date}.",
            "I'm trying to download our data before the contract ends, but the export file is empty when I open it.",
        ],
        threads: &[
            Thread {
                reply: "Sorry about that! I've restarted the export manually on our side. It can take a few hours for large workspaces; you'll receive a download link by email, valid for 7 days.",
                follow_up: "Got the link, but it says it has expired. Can you send a new one?",
                resolution: "I've sent a fresh link — it's valid for 7 days. Let us know whether the archive opens correctly.",
            },
            Thread {
                reply: "Thanks for flagging this. The export job failed because one attachment was too large to process. Our engineers have restarted it with a fix — do you need attachments included, or only the ticket data?",
                follow_up: "Attachments too, please — we need everything.",
                resolution: "The export completed successfully and the download link has been sent to your email. The archive includes all tickets, users and attachments.",
            },
        ],
        notes: &[
            "Subject access request — logged, 30-day deadline.",
            "Export worker ran out of memory on a >2 GB attachment. Restarted in streaming mode.",
        ],
    },
    Scenario {
        category: "account",
        tags: &["team", "invite"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Colleague didn't get the invite",
            "Invitation problems for a new colleague",
            "Can't add a new team member",
        ],
        openings: &[
            "I invited a new colleague to our workspace two days ago, but she says the invitation email never arrived.",
            "We added a new teammate yesterday, but the invitation isn't in his inbox or spam folder.",
            "I've sent an invite to our new hire three times and nothing arrives. His address is on our company domain.",
        ],
        threads: &[
            Thread {
                reply: "Thanks for reporting this. Sometimes the first invitation gets stuck, and pending invites also expire after 72 hours. Could you revoke the old invite and send a new one from Settings → Team?",
                follow_up: "Resent it and it worked, thanks.",
                resolution: "Great! Your colleague now has access to the workspace.",
            },
            Thread {
                reply: "I checked the mail logs: the invitation bounced because of a typo in the address — there's an extra letter in the domain. Could you double-check it and resend?",
                follow_up: "Oops, you're right. Resent with the correct address and it arrived.",
                resolution: "Glad it's sorted. Let us know if anyone else has trouble joining.",
            },
        ],
        notes: &[
            "Invites expire after 72 hours — the customer recreated it.",
            "Invitation email bounced: typo in the domain.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["mobile", "crash", "app-update"],
        priority: Priority::High,
        tier: 2,
        subjects: &[
            "App crashes on startup after update",
            "Version {version} won't open",
            "App closes immediately after latest update",
        ],
        openings: &[
            "Since I updated the app to {version} this morning it crashes immediately on launch. I'm on a {device}. I've restarted the phone twice.",
            "After the latest update the app opens for a second and then closes. I can't get to any of my data. Phone: {device}, app version {version}.",
            "Your new version {version} is broken — I get a white screen and then it closes. Reinstalling didn't help.",
        ],
        threads: &[
            Thread {
                reply: "Sorry about that, and thanks for the details. We've had a few similar reports for {version}. Could you go to Settings → Apps → our app → Storage, clear the cache and try again? If it still crashes, please send us your exact OS version.",
                follow_up: "Clearing the cache didn't help. My OS is fully up to date.",
                resolution: "The fix is out in the latest update — please update the app from the store and it should start normally. Thanks for your patience!",
            },
            Thread {
                reply: "Thanks for letting us know. Our team is investigating a crash in {version} that affects users who had offline mode turned on, and a fix is on the way. In the meantime you can reach your data through the web version.",
                follow_up: "The web version works for now. When will the fix be out?",
                resolution: "A hotfix is now live. Please update the app and let us know if you still see the crash.",
            },
        ],
        notes: &[
            "Crash reports spiked after the {version} rollout. Escalated to the mobile team.",
            "Reproduced on {device}: crash in the offline cache migration. Linked to the bug tracker.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["api", "bug", "integration"],
        priority: Priority::High,
        tier: 2,
        subjects: &[
            "API returns 500 on {endpoint}",
            "Internal Server Error from the API",
            "Integration broken: 500 errors since {date}",
        ],
        openings: &[
            "Our integration started getting HTTP 500 responses from {endpoint} about an hour ago. Request ID from the response: {request_id}. Nothing changed on our side.",
            "Every POST to {endpoint} returns 500 Internal Server Error, while GET requests work fine. Here's one request ID: {request_id}.",
            "Since {date} roughly one in five requests to {endpoint} fails with a 500. It's breaking our nightly sync.",
        ],
        threads: &[
            Thread {
                reply: "Thanks for the details — they help a lot. I can see the errors in our logs: they're triggered when one of the fields contains an empty array. While we work on a fix, could you omit that field when it's empty?",
                follow_up: "Omitting the empty field works as a workaround. Please let us know when it's fixed.",
                resolution: "Our engineers deployed a fix, and {endpoint} now handles that case correctly. You can remove the workaround. Sorry for the disruption!",
            },
            Thread {
                reply: "Thank you for the report. I've escalated this to our engineering team. Could you also send the full request body, with any tokens removed, so they can reproduce it?",
                follow_up: "Sure, here's the payload with the token removed.",
                resolution: "The fix is live, and we've added monitoring to catch this sooner. Please let us know if you see any more 500s.",
            },
        ],
        notes: &[
            "Traced {request_id}: unhandled exception in payload validation. Bug filed for the backend.",
            "Reproduced on staging. Escalated to the backend on-call engineer.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["mobile", "notifications"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "Not getting push notifications",
            "Notifications stopped working",
            "Push notifications unreliable",
        ],
        openings: &[
            "I stopped getting push notifications on my {device} about a week ago. Notifications are enabled in the phone settings.",
            "Notifications arrive hours late — sometimes the next morning. App version {version}.",
            "Push notifications on my {device} only show up when I open the app.",
        ],
        threads: &[
            Thread {
                reply: "Thanks for reporting this. Could you check under Profile → Notifications in the app that all the toggles are on, then log out and back in? That refreshes the device token, which fixes most cases.",
                follow_up: "Logging out and in fixed it!",
                resolution: "Great to hear notifications are working again. If they stop, let us know roughly when and we'll check the delivery logs.",
            },
            Thread {
                reply: "Let's figure this out. On some phones, battery saving stops background apps from receiving notifications. Could you check whether battery optimisation is turned on for our app?",
                follow_up: "Battery optimisation was on. I've turned it off — notifications come through now.",
                resolution: "Glad that helped! We'll add a note about this to our help center.",
            },
        ],
        notes: &[
            "Stale push token after an OS update — logging in again refreshes it.",
            "Vendor battery saver kills background services.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["performance", "web"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "Dashboard is extremely slow",
            "Pages take 30+ seconds to load",
            "Web app very slow lately",
        ],
        openings: &[
            "For the past few days the dashboard has taken over 30 seconds to load. Other sites are fine. I'm using {browser}.",
            "Our reports page times out every time we pick a date range longer than a month.",
            "Everything in the web app is painfully slow today — searching, opening tickets, all of it.",
        ],
        threads: &[
            Thread {
                reply: "Sorry for the slowness. Could you open your browser's developer tools (F12) → Network tab, reload the page and send us a screenshot or a HAR file? That will show which request is slow.",
                follow_up: "HAR file attached.",
                resolution: "Thanks! The file pointed us to a slow query, and we've added a database index for it. Pages should load quickly now — could you check?",
            },
            Thread {
                reply: "Thanks for the report. We've identified a slow database query that affects large workspaces and are deploying an optimisation today. I'll update you once it's live.",
                follow_up: "Any news? It's still slow this morning.",
                resolution: "The optimisation is live now, and on our side your workspace loads in under two seconds again. Could you confirm it feels faster?",
            },
        ],
        notes: &[
            "HAR shows /api/reports taking 28 s. Missing index on created_at for large tenants.",
            "Slow query on large tenants confirmed; the optimisation shipped in today's deploy.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["outage"],
        priority: Priority::Urgent,
        tier: 2,
        subjects: &[
            "Site is down!",
            "URGENT: cannot access the app",
            "502 Bad Gateway everywhere",
        ],
        openings: &[
            "Your site is down. We're getting 502 Bad Gateway on every page and our whole support team is blocked. Please fix ASAP!",
            "Nothing loads — not the app, not the API. The status page is all green but we can't log in. This is costing us money.",
            "Is there an outage? None of my colleagues have been able to open the dashboard since {time}.",
        ],
        threads: &[
            Thread {
                reply: "We're aware of the problem and our engineers are working on it right now. You can follow updates on our status page. Sorry for the disruption — I'll update you as soon as it's resolved.",
                follow_up: "Any update? Still down here.",
                resolution: "Everything is fully restored. The cause was a failed database failover; we'll publish a full incident report within 48 hours. We're very sorry for the disruption.",
            },
            Thread {
                reply: "Thank you for reporting it. We've confirmed an outage affecting part of our infrastructure since {time}. The team is deploying a fix, and I'll keep you posted.",
                follow_up: "It's back for some of us, but not everyone.",
                resolution: "The service is now available to everyone. Some requests made during the outage may need to be retried. Thanks for bearing with us.",
            },
        ],
        notes: &[
            "Linked to the active incident on the status page; send the postmortem link once published.",
            "Customer is on the Business plan — an SLA credit may apply.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["api", "webhooks", "bug"],
        priority: Priority::Normal,
        tier: 3,
        subjects: &[
            "Webhook delivery problems",
            "Webhook events unreliable since {date}",
            "Issue with webhook events",
        ],
        openings: &[
            "Since {date} we receive every ticket.updated webhook twice, with the same event ID but different timestamps. This creates duplicate records on our side.",
            "Some webhook events never reach our endpoint. Your delivery log says 'succeeded', but our server never received them.",
            "Webhook deliveries arrive out of order — we get ticket.closed before ticket.created for the same ticket.",
        ],
        threads: &[
            Thread {
                reply: "Thanks for the detailed report — that isn't expected behaviour. Could you send a few affected event IDs with approximate times, so our engineers can trace the deliveries?",
                follow_up: "Sure, here are three event IDs from this morning.",
                resolution: "Our engineers found a race condition in the delivery queue and deployed a fix. Deliveries should be consistent from now on.",
            },
            Thread {
                reply: "Thank you. This needs a closer look from our platform team, so I've escalated it. In the meantime, we recommend deduplicating and ordering events by event ID and timestamp on your side.",
                follow_up: "We already do that, but it's still a problem for our audit log.",
                resolution: "The issue was caused by a misconfigured worker in one region and has been fixed. Thanks for helping us track it down!",
            },
        ],
        notes: &[
            "Retry worker re-enqueued acknowledged jobs after a timeout. Escalated to line 3.",
            "Traces show the same event delivered by two workers.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["import", "bug", "csv"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "CSV import garbles names",
            "Imported contacts have garbled names",
            "Import mangles special characters",
        ],
        openings: &[
            "When we import contacts from CSV, names with accents like 'José' turn into 'JosÃ©'. The file is saved as UTF-8.",
            "Cyrillic names in our import file come out as question marks. The file opens fine in Excel.",
            "After importing our customer list, all the names with umlauts are broken. We've tried exporting from both Excel and Google Sheets.",
        ],
        threads: &[
            Thread {
                reply: "Thanks for reporting this. Could you send us the file, or a few rows that reproduce the problem? We'd like to check its encoding and whether it starts with a byte order mark.",
                follow_up: "Here's a sample with ten rows.",
                resolution: "Our engineers fixed the encoding detection, and your sample now imports correctly. Could you try the full file again?",
            },
            Thread {
                reply: "Sorry about this. It looks like a bug in how our importer detects the file encoding, and I've passed it to our engineers. In the meantime, saving the file as 'CSV UTF-8' in Excel usually avoids the issue.",
                follow_up: "Saved it as CSV UTF-8 — still broken.",
                resolution: "Found it: the importer misread files that start with a byte order mark. A fix is live — please re-run the import and let us know how it goes.",
            },
        ],
        notes: &[
            "Reproduced with the customer's sample; encoding detection bug confirmed.",
            "Importer falls back to Latin-1 when a BOM is present. Bug filed.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["sso", "integration"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "SAML SSO login fails",
            "SSO login problems",
            "Single sign-on not working",
        ],
        openings: &[
            "We've configured SAML SSO with our identity provider, but after logging in users get 'Invalid SAML response'. Can you help?",
            "SSO login keeps redirecting between our identity provider and your login page in an endless loop.",
            "SSO worked fine until yesterday; now everyone gets 'Signature validation failed'. We haven't changed anything on our side.",
        ],
        threads: &[
            Thread {
                reply: "Happy to help. The most common causes are a mismatched Entity ID or an expired signing certificate. Could you send a screenshot of your SSO settings page and the time of a failed attempt?",
                follow_up: "Screenshot attached. The last failed attempt was at {time}.",
                resolution: "Thanks — the logs show that the signing certificate in your settings has expired. Upload the new one from your identity provider and SSO will work again.",
            },
            Thread {
                reply: "Thanks. This usually means the ACS URL or certificate in your identity provider doesn't match what's in our settings. Could you double-check that the ACS URL ends with /sso/acs and that the certificate is the current one?",
                follow_up: "The ACS URL was missing the last part. Fixed it, and it works now!",
                resolution: "Glad it's working! To make SSO mandatory for everyone, turn on 'Require SSO' under Settings → Security.",
            },
        ],
        notes: &[
            "SAML assertion signed with a rotated certificate; the old one is still in the workspace config.",
            "Customer on the Business plan, SSO included.",
        ],
    },
    Scenario {
        category: "shipping",
        tags: &["delivery", "delay"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Where is my order {order}?",
            "Order {order} is late",
            "Order {order} still hasn't arrived",
        ],
        openings: &[
            "My order {order} was supposed to arrive by {date}, but it still hasn't come and I never got a shipping notification.",
            "I ordered the {product} over a week ago and it still says 'processing'. When will it actually ship?",
            "Order {order} is very late. It's a birthday present and I need it by the weekend. Can you speed it up?",
        ],
        threads: &[
            Thread {
                reply: "Sorry for the delay! I've checked: the order has already been handed to {carrier} and is at their regional sorting centre now, so it should be delivered within 2 business days. Tracking number: {tracking}.",
                follow_up: "OK, thanks. Is there any way to get it faster?",
                resolution: "I've upgraded your shipment to express at no extra cost, so it should arrive tomorrow. Sorry again for the wait.",
            },
            Thread {
                reply: "I apologise for the wait. Your order was held because one item was out of stock at our warehouse. It's now packed and will ship today; I'll send the tracking number as soon as it's available.",
                follow_up: "Still nothing in tracking today.",
                resolution: "Good news — the parcel is out for delivery today. We've refunded the shipping cost as an apology for the delay.",
            },
        ],
        notes: &[
            "Parcel stuck at a {carrier} hub. Opened an inquiry with the carrier.",
            "Warehouse backorder on the {product}. Shipping refunded as goodwill.",
        ],
    },
    Scenario {
        category: "shipping",
        tags: &["delivery", "missing-parcel"],
        priority: Priority::High,
        tier: 1,
        subjects: &[
            "Tracking says delivered but I didn't get it",
            "Parcel marked as delivered — it's not here",
            "Missing package for {order}",
        ],
        openings: &[
            "Tracking for order {order} says the package was delivered yesterday at {time}, but I wasn't home and there's nothing at my door or with the neighbours.",
            "My parcel shows as delivered, but it never arrived. Tracking number {tracking}. What do I do now?",
            "The courier marked {order} as delivered but it's nowhere to be found. I've checked with building reception too.",
        ],
        threads: &[
            Thread {
                reply: "I'm sorry to hear that. Couriers sometimes mark parcels as delivered early or leave them in a safe place. Could you check around the property once more? If it doesn't turn up within 48 hours, we'll open an investigation with {carrier}.",
                follow_up: "Two days later — still nothing.",
                resolution: "The carrier confirmed the parcel was left at the wrong address. We've sent a replacement by express delivery — tracking number {tracking}.",
            },
            Thread {
                reply: "Sorry about this! I've opened an investigation with {carrier}; they'll check the GPS data recorded at delivery. This usually takes 3–5 business days, and I'll update you as soon as I hear back.",
                follow_up: "Thanks. Could you send a replacement instead of waiting?",
                resolution: "Yes — we've sent a replacement without waiting for the investigation. Tracking number: {tracking}. If the original parcel turns up, just let us know.",
            },
        ],
        notes: &[
            "Carrier GPS shows the delivery scan 2 km from the address. Replacement sent.",
            "Second missing-parcel claim for this address — check before approving future ones.",
        ],
    },
    Scenario {
        category: "shipping",
        tags: &["address", "delivery"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Change delivery address for {order}",
            "Wrong address on my order",
            "Can I redirect my parcel?",
        ],
        openings: &[
            "I've just realised I entered my old address for order {order}. Can you change it before it ships?",
            "I'm moving on {date}. Could you send order {order} to my new address instead?",
            "There's a typo in the postcode on order {order}. Is it too late to fix it?",
        ],
        threads: &[
            Thread {
                reply: "No problem — your order hasn't shipped yet, so we can still update it. Please send the full new address, including the postcode and a phone number for the courier.",
                follow_up: "Here it is: 14 Elm Street, Apt 3. The phone number is the one on my account.",
                resolution: "The address is updated, and your order will ship to the new address.",
            },
            Thread {
                reply: "Unfortunately the parcel has already been handed to {carrier}. You can request a redirect on their website with tracking number {tracking}, or we can ask them to return it to us and reship it.",
                follow_up: "I managed to set up the redirect on their website.",
                resolution: "Great! If anything goes wrong with the delivery, let us know and we'll help.",
            },
        ],
        notes: &[
            "Address updated in the warehouse system before picking.",
            "Already shipped — the customer is redirecting with the carrier.",
        ],
    },
    Scenario {
        category: "returns",
        tags: &["wrong-item", "exchange"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Received the wrong item",
            "Wrong product in order {order}",
            "This isn't what I ordered",
        ],
        openings: &[
            "I ordered the {product} but the box contained the {other} instead. Order {order}.",
            "Got my package today and it's the wrong item — the {other} instead of the {product} I paid for. How do I get the right one?",
            "Order {order} arrived with a completely different product inside. Photos attached.",
        ],
        threads: &[
            Thread {
                reply: "I'm so sorry about the mix-up! We'll send the correct item right away, and you'll get a prepaid return label for the one you received — there's no rush to send it back.",
                follow_up: "Thanks! Do I need to pack it in the original box?",
                resolution: "No, any box will do. The correct item is on its way — tracking number {tracking}.",
            },
            Thread {
                reply: "Apologies for the mistake. Could you send a photo of the item and of the label on the package? As soon as we have it, we'll ship the correct item.",
                follow_up: "Photos attached.",
                resolution: "Thanks! The replacement shipped today, tracking number {tracking}. Sorry again for the inconvenience.",
            },
        ],
        notes: &[
            "Picking error at the warehouse: shelf labels swapped. Reported to the shift lead.",
            "Replacement sent before the return arrived (customer in good standing).",
        ],
    },
    Scenario {
        category: "returns",
        tags: &["return-label", "refund"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Return label request",
            "How do I return the {product}?",
            "Return for order {order}",
        ],
        openings: &[
            "I'd like to return the {product} from order {order}. Can you send me a return label?",
            "How do I return an item? The {product} is unopened and I'm within 30 days.",
            "Please send a return label for order {order}. I'd prefer a refund rather than an exchange.",
        ],
        threads: &[
            Thread {
                reply: "Of course! I've attached a prepaid return label. Please pack the item securely, attach the label and drop it off at any {carrier} location. We'll issue the refund once it reaches us.",
                follow_up: "Dropped it off today.",
                resolution: "We've received your return and refunded {amount} to your original payment method. It may take a few days to show on your statement.",
            },
            Thread {
                reply: "Sure thing. Could you tell us why you're returning it? It helps us improve. I'll send the label right after.",
                follow_up: "I found a model that suits me better, that's all.",
                resolution: "Thanks! The label is attached. Once {carrier} scans the parcel, we'll start the refund.",
            },
        ],
        notes: &[
            "Return within the 30-day window, unopened — full refund.",
            "Return reason recorded for the product team.",
        ],
    },
    Scenario {
        category: "returns",
        tags: &["damaged", "replacement"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Item arrived damaged",
            "{product} broken on arrival",
            "Damaged in transit — order {order}",
        ],
        openings: &[
            "The {product} from order {order} arrived with a cracked casing. The box was crushed on one side.",
            "I opened the package and the {product} is broken — it won't even turn on. I'd like a replacement, please.",
            "My order {order} arrived damaged. I have photos of the box and the item.",
        ],
        threads: &[
            Thread {
                reply: "So sorry it arrived like that! Please send photos of the damage and of the outer box, and we'll arrange a replacement or a refund — whichever you prefer.",
                follow_up: "Photos sent. A replacement, please.",
                resolution: "A replacement is on its way — tracking number {tracking}. We've filed the damage claim with the carrier ourselves.",
            },
            Thread {
                reply: "Apologies for this. There's no need to return the damaged item. Would you like a replacement or a full refund?",
                follow_up: "A refund would be best.",
                resolution: "We've issued a full refund of {amount}. Sorry again!",
            },
        ],
        notes: &[
            "Damage claim opened with the carrier, photos attached.",
            "No return needed — below the return shipping threshold.",
        ],
    },
    Scenario {
        category: "returns",
        tags: &["refund"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Still waiting for my refund",
            "Returned order {order} — no refund yet",
            "Refund status?",
        ],
        openings: &[
            "I returned the {product} two weeks ago. Tracking shows it was delivered to you on {date}, but I still haven't received the refund.",
            "Where is my refund for order {order}? It's been more than 10 days since you received the return.",
            "Your email said the refund was processed, but I don't see {amount} on my card yet.",
        ],
        threads: &[
            Thread {
                reply: "Sorry for the wait! I can see your return reached our warehouse on {date} and passed inspection. I've pushed the refund through just now — it should reach your card within a few business days.",
                follow_up: "Thanks, I'll keep an eye on my account.",
                resolution: "You're welcome! If it hasn't arrived within 10 business days, reply here and we'll chase it.",
            },
            Thread {
                reply: "Thanks for your patience. The refund of {amount} has been issued on our side; banks usually take 5–10 business days to show it. I've attached the reference number, which your bank can use to trace it.",
                follow_up: "It's showing now, thank you.",
                resolution: "Glad it arrived! Let us know if there's anything else we can help with.",
            },
        ],
        notes: &[
            "Return was stuck in the inspection queue — processed manually.",
            "Gave the customer the refund reference number for their bank.",
        ],
    },
    Scenario {
        category: "product",
        tags: &["presales", "compatibility", "warranty"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Question about the {product}",
            "Question before buying",
            "Pre-sales question: {product}",
        ],
        openings: &[
            "Does the {product} work with a {device}? The product page doesn't say.",
            "I'm thinking about buying the {product}. Does it come with a charger, or do I need to buy one separately?",
            "What's the warranty on the {product}? And does it still apply if I buy it as a gift?",
        ],
        threads: &[
            Thread {
                reply: "Great question! It works with any iPhone or Android phone through our companion app. There's no charger in the box, but any USB-C charger will do, and the warranty is 2 years.",
                follow_up: "Great, ordering now.",
                resolution: "Enjoy your purchase! Let us know if you have any other questions.",
            },
            Thread {
                reply: "The {product} has a 2-year warranty, no matter who uses it — just keep the order confirmation. It works with any modern smartphone, and it charges over USB-C (charger not included).",
                follow_up: "Can it be gift-wrapped?",
                resolution: "Yes — select 'Gift wrap' at checkout and we'll leave the receipt out of the box.",
            },
        ],
        notes: &[
            "Pre-sales question. Product page lacks compatibility info — flagged to content team.",
            "Suggested the bundle with a charger.",
        ],
    },
    Scenario {
        category: "product",
        tags: &["warranty", "defect"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "{product} stopped working",
            "Warranty claim for the {product}",
            "Problem with my {product}",
        ],
        openings: &[
            "My {product} stopped turning on after about four months. It's still under warranty. What should I do?",
            "The {product} has started switching itself off after a few minutes of use.",
            "The battery in my {product} now lasts less than an hour — it used to last all day.",
        ],
        threads: &[
            Thread {
                reply: "Sorry to hear that! Let's try a reset first: hold the power button for 15 seconds, release it, then charge the device for at least 30 minutes. If that doesn't help, we'll arrange a warranty replacement.",
                follow_up: "The reset didn't help, same problem.",
                resolution: "Thanks for trying. Your warranty claim is approved: we'll send a replacement with a prepaid label for the faulty unit.",
            },
            Thread {
                reply: "That's definitely not normal. Please send your order number and a short video of the issue, and we'll start a warranty claim.",
                follow_up: "The order is {order}, video attached.",
                resolution: "We've approved the replacement; it will ship within 2 business days.",
            },
        ],
        notes: &[
            "Known issue in an early batch — replacement approved.",
            "Warranty valid, purchased on {date}.",
        ],
    },
    Scenario {
        category: "product",
        tags: &["stock", "presales"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "When will the {product} be back in stock?",
            "Restock date?",
            "Availability of the {product}",
        ],
        openings: &[
            "The {product} has been out of stock for weeks. Do you know when it will be available again?",
            "Can I pre-order the {product}? I'd like to reserve one.",
            "I need the {product} for a trip next month. Will it be back in stock by then?",
        ],
        threads: &[
            Thread {
                reply: "Thanks for your interest! We expect a new shipment around {date}. Click 'Notify me' on the product page and we'll email you as soon as it's back.",
                follow_up: "Signed up for notifications, thanks.",
                resolution: "You're all set — you'll get an email as soon as it's in stock.",
            },
            Thread {
                reply: "Unfortunately we can't take pre-orders for it right now, but I've added you to the waiting list, so you'll be among the first to know.",
                follow_up: "Is there a similar model in stock right now?",
                resolution: "Yes — the {other} is a good alternative and it's in stock. I'm happy to send a comparison if that helps.",
            },
        ],
        notes: &[
            "Restock ETA from the supplier: {date}.",
            "Third request for this item this week — flagged to merchandising.",
        ],
    },
    Scenario {
        category: "security",
        tags: &["suspicious-login", "account-security"],
        priority: Priority::High,
        tier: 2,
        subjects: &[
            "Suspicious activity on my account",
            "Someone logged into my account",
            "Possible unauthorised access",
        ],
        openings: &[
            "I just got an email about a new login from {city} at {time}. That wasn't me! What should I do?",
            "There's a session from IP {ip} in my account activity that I don't recognise. I've never been to {city}.",
            "I think my account has been hacked — my password stopped working and I got a 'new device' alert.",
        ],
        threads: &[
            Thread {
                reply: "Thanks for reporting this so quickly. As a precaution we've signed out all active sessions on your account. Please reset your password right away and turn on two-factor authentication. Have you used the same password on other sites?",
                follow_up: "Yes, I reused it on another site. It's changed everywhere now, and 2FA is on.",
                resolution: "Thanks. Our audit log shows no data was exported or changed during that session. Your account is secure now.",
            },
            Thread {
                reply: "We take this seriously. I've temporarily locked the account and sent you a secure password reset link. Once you've set a new password, please review the recent activity and let us know if anything was changed.",
                follow_up: "Done — password changed and 2FA on. Nothing seems to have been changed.",
                resolution: "Great — the account is unlocked and secured. We've also blocked the IP address {ip}.",
            },
        ],
        notes: &[
            "Login from {ip}: known credential-stuffing range. Sessions revoked.",
            "Audit log: no data access from the suspicious session.",
        ],
    },
    Scenario {
        category: "security",
        tags: &["phishing"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "Phishing email pretending to be you",
            "Is this email really from you?",
            "Suspicious email using your name",
        ],
        openings: &[
            "I received an email claiming my account would be suspended unless I 'verify billing'. The link goes to a strange domain. Is this from you?",
            "We got a fake invoice that looks just like yours, asking us to pay {amount} to a different bank account. Forwarding it to you.",
            "Several people on my team got an email asking them to log in via a link. It has your branding, but the sender address looks odd.",
        ],
        threads: &[
            Thread {
                reply: "Thank you for forwarding this — it's not from us. Please don't click the link or enter any details. We've reported the domain so it gets taken down. If anyone did enter a password, it should be changed immediately.",
                follow_up: "Nobody clicked it, thankfully.",
                resolution: "Good. The phishing site has been taken down. Thanks for helping keep everyone safe!",
            },
            Thread {
                reply: "Thanks for the heads-up. We never ask by email for payment to a new bank account or for your password. Our security team is already working on getting the site blocked.",
                follow_up: "One colleague entered their password. We've changed it.",
                resolution: "Thanks for acting so quickly. To be safe, we've also ended all sessions for that user.",
            },
        ],
        notes: &[
            "Phishing domain reported to the registrar and Safe Browsing.",
            "Sent the security advisory template to the customer's admin.",
        ],
    },
    Scenario {
        category: "security",
        tags: &["vulnerability", "bug-bounty"],
        priority: Priority::High,
        tier: 3,
        subjects: &[
            "Security vulnerability report",
            "Reporting a security issue",
            "Responsible disclosure",
        ],
        openings: &[
            "I found a stored XSS vulnerability: an HTML payload in a ticket comment gets executed when an agent opens the ticket. I can share the proof of concept privately.",
            "While testing our integration I noticed that {endpoint} returns records from other accounts if you change the ID in the URL. I haven't accessed any real data beyond confirming it.",
            "I'd like to report a security issue responsibly. Do you have a bug bounty programme or a security contact?",
        ],
        threads: &[
            Thread {
                reply: "Thank you for reporting this responsibly. I've forwarded it to our security team, who will contact you directly within one business day. Please don't share the details publicly until we've fixed it.",
                follow_up: "Understood, I'll wait to hear from them.",
                resolution: "Our security team has confirmed the issue and deployed a fix. Thank you — we'll be in touch about a bug bounty reward.",
            },
            Thread {
                reply: "Thanks for letting us know. Please send the details to our security team through the secure form on our security page. We'll acknowledge it within 24 hours.",
                follow_up: "Sent the details through the form. Any update on the fix?",
                resolution: "The vulnerability has been patched. We really appreciate your responsible disclosure and have added you to our security hall of fame.",
            },
        ],
        notes: &[
            "Forwarded to the security team — triage P1. Do not discuss details in this ticket.",
            "Confirmed by security; fix deployed, reporter credited.",
        ],
    },
    Scenario {
        category: "feedback",
        tags: &["feature-request"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Feature request",
            "Suggestion for the product",
            "Idea to improve the app",
        ],
        openings: &[
            "Would love a dark mode in the web app. I work late and the white background is hard on the eyes.",
            "It would be great to export reports straight to Excel instead of CSV. Our managers ask for it every week.",
            "Could you add the ability to schedule replies? We have customers in different time zones.",
        ],
        threads: &[
            Thread {
                reply: "Thanks for the suggestion! I've passed it to our product team and added your vote. We can't promise a date, but requests like this directly shape our roadmap.",
                follow_up: "Thanks! Is there a public roadmap?",
                resolution: "Yes — you'll find it on our website under Roadmap, where you can also vote for features.",
            },
            Thread {
                reply: "Great idea — you're not the only one asking for it. I've linked your request to the existing feature ticket, so you'll be notified when it ships.",
                follow_up: "Appreciate it, looking forward to it.",
                resolution: "Thanks for sharing your ideas! We'll let you know as soon as there's news.",
            },
        ],
        notes: &[
            "Added a +1 to the feature request on the product board.",
            "Popular request — 40+ votes.",
        ],
    },
    Scenario {
        category: "feedback",
        tags: &["praise"],
        priority: Priority::Low,
        tier: 1,
        subjects: &["Thank you!", "Great service", "Just wanted to say thanks"],
        openings: &[
            "Just wanted to say thanks to your support team — the issue with my order was sorted in a day. Great service!",
            "I've been using your app for a year now and it keeps getting better. The latest update is fantastic.",
            "Your agent was incredibly patient helping me set everything up. Please pass on my thanks!",
        ],
        threads: &[
            Thread {
                reply: "Thank you so much for the kind words! I've shared your message with the team — it really made our day.",
                follow_up: "Keep up the good work!",
                resolution: "Will do! Have a great week.",
            },
            Thread {
                reply: "That's wonderful to hear, thank you! Feedback like this means a lot to us.",
                follow_up: "I've already recommended you to a few friends.",
                resolution: "That's the best compliment we could get! We're always here if you need anything.",
            },
        ],
        notes: &[
            "Shared in the #kudos channel.",
            "Positive feedback — could ask for a testimonial.",
        ],
    },
    Scenario {
        category: "feedback",
        tags: &["complaint", "response-time"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Very disappointed with support",
            "Unhappy with the support experience",
            "Complaint about response time",
        ],
        openings: &[
            "I've been waiting five days for a response to my previous ticket. This is unacceptable for a paid service.",
            "I've had to explain my problem three times to three different people. Can someone just take ownership of it?",
            "Your chat bot keeps going in circles and never connects me to a human.",
        ],
        threads: &[
            Thread {
                reply: "I'm really sorry about this experience — it's not the level of service we aim for. I've taken ownership of your case personally and will see it through. Could you give me a short summary of where things stand?",
                follow_up: "Thanks. The original problem is still there: report exports don't work.",
                resolution: "The report export issue is now fixed, and we've added a month of credit to your account as an apology.",
            },
            Thread {
                reply: "You're right, and I apologise. I've found your earlier ticket and escalated it to a senior agent, who will contact you today.",
                follow_up: "OK, I'll wait for the call.",
                resolution: "Thanks for your patience. I'll remain your point of contact for this — just reply to this thread directly.",
            },
        ],
        notes: &[
            "One month of goodwill credit approved by the team lead.",
            "Customer had three handoffs — review routing rules.",
        ],
    },
];

const RU_SCENARIOS: &[Scenario] = &[
    Scenario {
        category: "billing",
        tags: &["refund", "payment", "card"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Двойное списание по заказу {order}",
            "Деньги списали дважды",
            "Повторное списание {amount}",
        ],
        openings: &[
            "По заказу {order} с карты *{card} дважды списали {amount}. Заказ оформлялся один раз. Верните, пожалуйста, лишнее списание.",
            "Пришло два одинаковых уведомления от банка: {date} с карты *{card} списано по {amount}. Платёж был один. Разберитесь, пожалуйста.",
            "При оплате зависла страница, пришлось нажать кнопку ещё раз — и теперь деньги списаны дважды. Заказ {order}. Как вернуть вторую сумму?",
        ],
        threads: &[
            Thread {
                reply: "Приносим извинения за неудобства. Пришлите, пожалуйста, скриншот выписки или SMS от банка с обоими списаниями. Иногда второе списание — это временная блокировка суммы, которая снимается сама в течение 3–5 рабочих дней, но мы хотим в этом убедиться.",
                follow_up: "Скриншот прикладываю. Оба списания уже проведены, не в обработке.",
                resolution: "Спасибо! Оформили возврат {amount} за повторное списание. В зависимости от банка деньги вернутся в течение 5–10 рабочих дней. Квитанция о возврате во вложении.",
            },
            Thread {
                reply: "Проверили платёжную систему: действительно, по карте *{card} прошли две транзакции по {amount}. Вторую мы уже отметили к возврату. Подскажите, в банковском приложении это списание отображается как проведённое или как заблокированная сумма?",
                follow_up: "Проведённое, висит уже третий день.",
                resolution: "Готово: лишний платёж возвращён полностью. Подтверждение придёт на почту, а деньги поступят на карту в течение недели.",
            },
        ],
        notes: &[
            "В логах эквайринга две оплаты с разницей в 4 секунды — двойной клик при оформлении. Вторую вернули.",
            "Двойное списание подтверждено. Уже второй такой случай за неделю — передали в команду платежей.",
        ],
    },
    Scenario {
        category: "billing",
        tags: &["invoice", "documents"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Нужны закрывающие документы",
            "Документы для бухгалтерии",
            "Вопрос по закрывающим документам",
        ],
        openings: &[
            "Для бухгалтерии нужны акт и счёт-фактура по счёту {invoice}. Реквизиты: {company}, ИНН {tax_id}. Можно прислать сканы, а оригиналы — почтой?",
            "Подскажите, как получить закрывающие документы за прошлый квартал? В личном кабинете их нет. Организация — {company}, ИНН {tax_id}.",
            "Работаем с вами через ЭДО, но акт за прошлый месяц так и не пришёл. Проверьте, пожалуйста, отправку. Организация — {company}.",
        ],
        threads: &[
            Thread {
                reply: "Сформировали акт и счёт-фактуру, сканы во вложении. Оригиналы отправим Почтой России в течение трёх рабочих дней — подтвердите, пожалуйста, почтовый адрес.",
                follow_up: "Адрес тот же, что в договоре. Спасибо!",
                resolution: "Документы отправлены, трек-номер письма: {tracking}. Электронные копии также доступны в личном кабинете в разделе «Документы».",
            },
            Thread {
                reply: "Проверили: документ отправлялся через ЭДО, но оператор вернул его с ошибкой из-за неверного КПП в карточке организации. Подскажите, пожалуйста, актуальный КПП — исправим и отправим повторно.",
                follow_up: "КПП: 770101001. Проверьте, пожалуйста.",
                resolution: "Исправили реквизиты и повторно отправили акт через ЭДО. Подпишите его, пожалуйста, когда он придёт.",
            },
        ],
        notes: &[
            "Оригиналы отправлены заказным письмом.",
            "В карточке клиента был старый КПП — обновили.",
        ],
    },
    Scenario {
        category: "billing",
        tags: &["receipt", "payment"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Вопрос по кассовому чеку",
            "Чек по заказу {order}",
            "Кассовый чек по оплате",
        ],
        openings: &[
            "Заказ {order} на {amount} оплачен, но чек на почту так и не пришёл. Он нужен для отчёта по командировке.",
            "Подскажите, где найти кассовый чек по оплате от {date}? В письме с подтверждением заказа его нет.",
            "Для отчёта нужен кассовый чек по заказу {order}, а письма с чеком нет ни во входящих, ни в спаме.",
        ],
        threads: &[
            Thread {
                reply: "Чек формируется онлайн-кассой и отправляется на адрес, указанный при оформлении заказа. Проверили — в адресе была опечатка. Отправили чек повторно на почту, с которой вы пишете.",
                follow_up: "Чек пришёл, спасибо!",
                resolution: "Отлично! Копия чека также всегда доступна в личном кабинете, в истории заказов.",
            },
            Thread {
                reply: "Проверили: чек сформирован, но письмо задержалось у оператора фискальных данных. Отправили его повторно — кроме того, чек всегда можно скачать в личном кабинете, в разделе «Мои заказы».",
                follow_up: "Теперь пришёл, спасибо.",
                resolution: "Рады помочь! Если для отчёта понадобится что-то ещё — пишите.",
            },
        ],
        notes: &[
            "Опечатка в email при оформлении, чек переотправлен через ОФД.",
            "Чек задержался у ОФД, отправили повторно.",
        ],
    },
    Scenario {
        category: "billing",
        tags: &["refund", "subscription", "cancellation"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Списали деньги за продление подписки",
            "Верните деньги за автопродление",
            "Отмена тарифа {plan} и возврат",
        ],
        openings: &[
            "Вчера автоматически продлилась подписка, списано {amount} за тариф {plan}. Продлевать её не планировалось, сервисом не пользуемся уже месяц. Можно вернуть деньги?",
            "Подписка была отменена ещё в прошлом месяце, но {date} снова пришло списание на {amount}. Верните, пожалуйста, деньги и проверьте, чтобы больше не списывали.",
            "Мы перешли на другой сервис, тариф {plan} больше не нужен. Годовое продление на {amount} прошло {date}. Можно оформить возврат?",
        ],
        threads: &[
            Thread {
                reply: "Продление было недавно, и после списания в аккаунте не было активности, поэтому можем вернуть полную сумму. Подтвердите, пожалуйста, адрес электронной почты, к которому привязан аккаунт.",
                follow_up: "Почта та же, с которой пишу. Спасибо!",
                resolution: "Готово: подписка отменена, {amount} вернули на карту, с которой была оплата. Доступ сохранится до конца сегодняшнего дня.",
            },
            Thread {
                reply: "Проверили: последнее продление прошло {date}, и с тех пор аккаунтом не пользовались. Можем отменить подписку прямо сейчас и вернуть этот платёж — оформляем?",
                follow_up: "Да, оформляйте, пожалуйста.",
                resolution: "Возврат оформлен, подписка отключена, больше списаний не будет. Ещё раз извините за неудобства.",
            },
        ],
        notes: &[
            "Отмена зависла на шаге подтверждения — известная проблема интерфейса.",
            "В пределах 14 дней, активности нет — полный возврат одобрен.",
        ],
    },
    Scenario {
        category: "billing",
        tags: &["payment", "card"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Проблема с оплатой",
            "Ошибка при оплате",
            "Не проходит оплата",
        ],
        openings: &[
            "Пытаемся оплатить тариф {plan}, но каждый раз получаем ошибку «Платёж отклонён». Карта *{card} рабочая, в других магазинах оплата проходит.",
            "Не получается оплатить заказ {order}: после ввода кода из SMS появляется «Ошибка оплаты». Пробовали две разные карты.",
            "Не получается сменить карту в личном кабинете: после ввода данных появляется «Ошибка оплаты». Браузер — {browser}.",
        ],
        threads: &[
            Thread {
                reply: "Проверили: на нашей стороне всё в порядке, платёж не прошёл на стороне банка. Обычно так срабатывает антифрод-защита. Позвоните, пожалуйста, в банк или подтвердите операцию в банковском приложении и попробуйте ещё раз.",
                follow_up: "Банк действительно заблокировал операцию. Разблокировали, пробуем снова.",
                resolution: "Отлично, видим, что платёж на {amount} прошёл. Всё оплачено, дополнительных действий не нужно.",
            },
            Thread {
                reply: "Спасибо, что сообщили. Некоторые банки требуют подтверждения 3-D Secure, а блокировщики рекламы иногда не дают открыться окну подтверждения. Попробуйте, пожалуйста, оплатить с отключёнными расширениями или в режиме инкогнито.",
                follow_up: "В режиме инкогнито всё прошло — окно подтверждения наконец появилось.",
                resolution: "Видим оплату на {amount}, всё в порядке. Спасибо за терпение!",
            },
        ],
        notes: &[
            "Отказ банка-эмитента, на нашей стороне всё штатно.",
            "Окно 3-D Secure блокировалось расширением браузера.",
        ],
    },
    Scenario {
        category: "billing",
        tags: &["payment", "sbp"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Оплата через СБП не засчитана",
            "Деньги списаны, а заказ не оплачен",
            "Оплата по СБП: заказ {order}",
        ],
        openings: &[
            "Заказ {order} оплачен через СБП: деньги со счёта списались, а заказ до сих пор в статусе «Ожидает оплаты».",
            "Оплата по QR-коду через СБП прошла, банк прислал подтверждение на {amount}, но на сайте заказ {order} не оплачен.",
            "После оплаты через СБП приложение банка вернуло на сайт с ошибкой. Деньги списаны, а заказ в личном кабинете висит неоплаченным.",
        ],
        threads: &[
            Thread {
                reply: "Видим ваш платёж: подтверждение от платёжного провайдера пришло с задержкой из-за сбоя на его стороне. Мы вручную привязали оплату к заказу — проверьте, пожалуйста, статус.",
                follow_up: "Статус поменялся, спасибо!",
                resolution: "Рады, что всё решилось! Заказ уже передан в сборку.",
            },
            Thread {
                reply: "Пришлите, пожалуйста, скриншот операции из банковского приложения — с суммой, датой и получателем. По нему найдём платёж и привяжем его к заказу вручную.",
                follow_up: "Скриншот во вложении.",
                resolution: "Нашли платёж и привязали его к заказу {order}. Заказ оплачен и уже передан в сборку.",
            },
        ],
        notes: &[
            "Уведомление от платёжного шлюза по СБП не дошло, платёж привязали вручную.",
            "Платёж найден по ID операции СБП.",
        ],
    },
    Scenario {
        category: "billing",
        tags: &["subscription", "upgrade", "pricing"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Как работает переход на другой тариф?",
            "Вопрос по смене тарифа {plan}",
            "Перерасчёт при смене тарифа",
        ],
        openings: &[
            "Хотим перейти с тарифа {plan} на более старший. Если переключиться в середине месяца, придётся платить за весь месяц заново?",
            "Если сейчас понизить тариф {plan}, данные сохранятся? И вернутся ли деньги за неиспользованные дни?",
            "Можно ли перейти с помесячной оплаты на годовую, не потеряв уже оплаченные дни?",
        ],
        threads: &[
            Thread {
                reply: "Смена тарифа рассчитывается пропорционально: вы доплачиваете или получаете обратно только разницу за оставшиеся дни текущего периода, а новая цена действует со следующего продления. Данные сохраняются на любом тарифе.",
                follow_up: "Понятно. Можете переключить нас прямо с сегодняшнего дня?",
                resolution: "Готово: тариф изменён, перерасчёт появится в следующем счёте.",
            },
            Thread {
                reply: "Сменить тариф можно в любой момент в разделе «Настройки» → «Оплата». Дважды за один период мы не списываем: разница считается с точностью до дня и учитывается в следующем счёте. При смене тарифа ничего не удаляется.",
                follow_up: "Отлично, спасибо. Перерасчёт будет отдельной строкой в счёте?",
                resolution: "Да, отдельной строкой в следующем счёте. Если что-то покажется непонятным — пишите.",
            },
        ],
        notes: &[
            "Вопрос по тарифам перед покупкой, кроме консультации ничего не требуется.",
            "Рассказали о скидке за годовую оплату, клиент обсудит внутри команды.",
        ],
    },
    Scenario {
        category: "account",
        tags: &["login", "2fa"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "Нет доступа к кодам 2FA",
            "Не могу войти: двухфакторная аутентификация",
            "Нужно сбросить двухэтапную проверку",
        ],
        openings: &[
            "У меня новый телефон, а приложение-аутентификатор осталось на старом. Теперь при входе система просит шестизначный код, резервных кодов тоже нет. Помогите, пожалуйста, восстановить доступ.",
            "На прошлой неделе украли телефон, и с тех пор нет доступа к аккаунту: коды двухфакторной аутентификации были именно на нём. Как теперь войти?",
            "После перехода с {device} на новый смартфон коды из аутентификатора не подходят. Доступ нужен срочно — сегодня нужно выплатить зарплату сотрудникам.",
        ],
        threads: &[
            Thread {
                reply: "Сочувствуем! Чтобы отключить двухфакторную аутентификацию, нам нужно убедиться, что аккаунт действительно ваш. Напишите, пожалуйста, с адреса, привязанного к аккаунту, и укажите примерную дату регистрации и последние четыре цифры карты, с которой оплачивался тариф.",
                follow_up: "Регистрация была примерно весной прошлого года, карта заканчивается на {card}.",
                resolution: "Спасибо, данные совпали. Мы отключили двухфакторную аутентификацию — войдите в аккаунт и сразу настройте её заново. Новые резервные коды сохраните в надёжном месте.",
            },
            Thread {
                reply: "Понимаем, насколько это неприятно. Для сброса 2FA нужно подтвердить личность: пришлите, пожалуйста, фото документа рядом с листком, на котором написаны сегодняшняя дата и номер этого обращения. После проверки фото будет удалено.",
                follow_up: "Фото отправлено. Если можно, побыстрее, пожалуйста.",
                resolution: "Проверка пройдена, двухфакторная аутентификация сброшена. При повторном подключении рекомендуем распечатать резервные коды или сохранить их в менеджере паролей.",
            },
        ],
        notes: &[
            "Личность подтверждена по платёжным данным (последние 4 цифры карты и дата регистрации). 2FA сброшена.",
            "Проверка документа пройдена, фото удалено. Напомнили про резервные коды.",
        ],
    },
    Scenario {
        category: "account",
        tags: &["login", "email", "password-reset"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Не приходит письмо для сброса пароля",
            "Не получается восстановить пароль",
            "Ссылка для сброса пароля не работает",
        ],
        openings: &[
            "Уже четыре раза запрашиваю сброс пароля, а письма всё нет. Папку «Спам» тоже проверяю. Можно отправить ссылку вручную?",
            "Письмо со ссылкой для сброса пароля приходит через час, и к этому моменту ссылка уже недействительна. Что-то не так с вашей почтой?",
            "Не могу войти в аккаунт, а письмо «Забыли пароль?» не приходит. Почта на корпоративном домене — может, её что-то блокирует?",
        ],
        threads: &[
            Thread {
                reply: "Проверили журнал отправки: ваш почтовый сервер откладывает или отклоняет наши письма. Корпоративные фильтры часто так поступают с автоматическими рассылками. Попросите, пожалуйста, ИТ-отдел добавить наш домен в белый список или пришлите другой адрес.",
                follow_up: "ИТ-отдел добавил ваш домен в исключения, письмо пришло сразу. Спасибо, всё заработало!",
                resolution: "Отлично! Если проблема повторится — напишите нам, разберёмся.",
            },
            Thread {
                reply: "Видим, что письма отправлялись, но сегодня утром у нашего почтового провайдера были задержки. Сейчас всё работает штатно — запросите, пожалуйста, новую ссылку. Используйте самое последнее письмо: предыдущие ссылки уже недействительны.",
                follow_up: "Письмо пришло буквально через минуту, пароль сменён.",
                resolution: "Рады, что всё получилось! Хорошего дня.",
            },
        ],
        notes: &[
            "В логах отправки отказ 550 от почтового сервера клиента — корпоративный фильтр.",
            "Утром была очередь у почтового провайдера, уже устранено.",
        ],
    },
    Scenario {
        category: "account",
        tags: &["login", "sms", "profile"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Сменился номер телефона, не приходят SMS",
            "Нужно поменять телефон в аккаунте",
            "Нет доступа к старому номеру",
        ],
        openings: &[
            "Старого номера телефона больше нет, а SMS-код для входа приходит именно на него. Как поменять номер в аккаунте?",
            "Поменялся номер, и теперь не получается подтвердить вход. Доступ к почте, на которую зарегистрирован аккаунт, есть.",
            "Нужно привязать к аккаунту новый номер телефона: старая SIM-карта потерялась.",
        ],
        threads: &[
            Thread {
                reply: "Поможем. Для безопасности сначала убедимся, что аккаунт ваш: мы отправили код на адрес электронной почты, привязанный к аккаунту. Пришлите его в ответ на это письмо вместе с новым номером телефона.",
                follow_up: "Код пришёл, отправляю его вместе с новым номером.",
                resolution: "Спасибо! Новый номер привязан к аккаунту, старый удалён. Теперь коды для входа будут приходить на новый номер.",
            },
            Thread {
                reply: "Сменить номер можно самостоятельно: войдите по одноразовой ссылке, которую мы только что отправили на вашу почту, и откройте «Профиль» → «Безопасность» → «Номер телефона».",
                follow_up: "Получилось, номер поменян. Спасибо!",
                resolution: "Отлично! Если возникнут ещё вопросы — пишите.",
            },
        ],
        notes: &[
            "Личность подтверждена кодом на email. Номер обновлён.",
            "Выслали одноразовую ссылку для входа, номер клиент сменил сам.",
        ],
    },
    Scenario {
        category: "account",
        tags: &["privacy", "personal-data", "cancellation"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Удалите, пожалуйста, мой аккаунт",
            "Запрос на удаление персональных данных",
            "Как удалить учётную запись?",
        ],
        openings: &[
            "Прошу удалить мой аккаунт и все персональные данные. Сервисом больше не пользуюсь.",
            "В соответствии со 152-ФЗ прошу прекратить обработку моих персональных данных и удалить их. Сообщите, пожалуйста, когда это будет сделано.",
            "Как удалить учётную запись навсегда? В настройках кнопки удаления не нашлось.",
        ],
        threads: &[
            Thread {
                reply: "Жаль, что вы уходите. Обратите внимание: удаление необратимо, а действующая подписка будет отменена. Подтвердите, пожалуйста, что хотите продолжить.",
                follow_up: "Да, подтверждаю. Удалите всё.",
                resolution: "Аккаунт и персональные данные удалены. Финансовые документы хранятся столько, сколько требует законодательство, но больше не связаны с профилем. Всего доброго!",
            },
            Thread {
                reply: "Удалить аккаунт можно в разделе «Настройки» → «Конфиденциальность» → «Удалить аккаунт». Если удобнее, мы сделаем это сами — просто подтвердите ответом на это письмо.",
                follow_up: "Сделайте, пожалуйста, сами. Удаление подтверждаю.",
                resolution: "Готово: аккаунт поставлен в очередь на удаление и будет полностью стёрт в течение 30 дней, включая резервные копии.",
            },
        ],
        notes: &[
            "Запрос внесён в реестр обращений по персональным данным. Бухгалтерские документы храним по закону.",
            "Личность подтверждена ответом с адреса аккаунта.",
        ],
    },
    Scenario {
        category: "account",
        tags: &["export", "personal-data"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "Не формируется выгрузка данных",
            "Проблема с экспортом данных",
            "Нужна полная выгрузка аккаунта",
        ],
        openings: &[
            "Три дня назад в настройках был запрошен экспорт данных, но до сих пор ничего не пришло. Проверьте, пожалуйста.",
            "Проводим внутренний аудит, нужна полная выгрузка рабочего пространства: обращения, пользователи, вложения. Экспорт висит на 0% с {date}.",
            "Перед окончанием договора пытаемся скачать все данные, но архив экспорта открывается пустым.",
        ],
        threads: &[
            Thread {
                reply: "Приносим извинения! Перезапустили экспорт вручную на нашей стороне. Для больших аккаунтов он может занять несколько часов — ссылка на скачивание придёт на почту и будет действовать 7 дней.",
                follow_up: "Ссылка пришла, но пишет, что срок её действия истёк. Можно прислать новую?",
                resolution: "Отправили новую ссылку — она действительна 7 дней. Напишите, пожалуйста, открывается ли архив.",
            },
            Thread {
                reply: "Спасибо, что сообщили. Экспорт не завершился из-за слишком большого вложения. Инженеры перезапустили задачу с исправлением. Уточните, пожалуйста: вложения нужны или достаточно данных по обращениям?",
                follow_up: "Вложения тоже нужны — нам нужно всё.",
                resolution: "Экспорт успешно завершён, ссылка на скачивание отправлена на почту. В архиве все обращения, пользователи и вложения.",
            },
        ],
        notes: &[
            "Выгрузка для аудита, срок — до конца недели.",
            "Воркер экспорта падал по памяти на вложении больше 2 ГБ. Перезапустили в потоковом режиме.",
        ],
    },
    Scenario {
        category: "account",
        tags: &["team", "invite"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Сотруднику не приходит приглашение",
            "Проблема с приглашением сотрудника",
            "Не получается добавить нового сотрудника",
        ],
        openings: &[
            "Два дня назад отправили приглашение новой коллеге, но письмо до неё так и не дошло.",
            "Вчера добавили нового сотрудника, но приглашения нет ни во входящих, ни в спаме.",
            "Третий раз отправляем приглашение новому сотруднику — письма нет. Адрес у него на корпоративном домене.",
        ],
        threads: &[
            Thread {
                reply: "Иногда первое приглашение застревает, к тому же приглашения действуют только 72 часа. Отзовите, пожалуйста, прежнее приглашение и отправьте новое в разделе «Настройки» → «Команда».",
                follow_up: "Отправили заново — всё сработало, спасибо.",
                resolution: "Отлично! Теперь у коллеги есть доступ к рабочему пространству.",
            },
            Thread {
                reply: "Проверили журнал отправки: письмо вернулось из-за опечатки в адресе — в домене лишняя буква. Проверьте, пожалуйста, адрес и отправьте приглашение ещё раз.",
                follow_up: "Действительно, опечатка. Исправили — приглашение пришло.",
                resolution: "Рады, что разобрались! Если у кого-то ещё возникнут сложности со входом — пишите.",
            },
        ],
        notes: &[
            "Приглашения живут 72 часа, клиент создал новое.",
            "Письмо-приглашение вернулось: опечатка в домене.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["mobile", "crash", "app-update"],
        priority: Priority::High,
        tier: 2,
        subjects: &[
            "Приложение вылетает после обновления",
            "Версия {version} не запускается",
            "После обновления приложение сразу закрывается",
        ],
        openings: &[
            "После обновления до версии {version} приложение вылетает сразу при запуске. Телефон — {device}, перезагрузка не помогла.",
            "С утра после обновления приложение открывается на секунду и закрывается. Доступа к данным нет совсем. Телефон {device}, версия {version}.",
            "Новая версия {version} просто не работает: белый экран, потом вылет. Переустановка не помогла.",
        ],
        threads: &[
            Thread {
                reply: "Спасибо за подробности, и извините за неудобства. Похожие жалобы на {version} уже есть. Попробуйте, пожалуйста, очистить кэш: «Настройки» → «Приложения» → наше приложение → «Хранилище» → «Очистить кэш». Если не поможет, напишите точную версию ОС.",
                follow_up: "Очистка кэша не помогла. Система обновлена до последней версии.",
                resolution: "Исправление вышло в новом обновлении — обновите, пожалуйста, приложение из магазина, и оно должно запускаться нормально. Спасибо за терпение!",
            },
            Thread {
                reply: "Спасибо, что сообщили. Команда уже разбирается со сбоем в {version}: он возникает у пользователей с включённым офлайн-режимом. Исправление готовится, а пока к данным можно зайти через веб-версию.",
                follow_up: "Через веб-версию работает. Когда будет исправление?",
                resolution: "Исправление уже опубликовано. Обновите приложение и напишите, пожалуйста, если сбой повторится.",
            },
        ],
        notes: &[
            "Всплеск падений при запуске после выкатки {version}. Передали мобильной команде.",
            "Воспроизвели на {device}: падение при миграции офлайн-кэша. Задача заведена.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["api", "bug", "integration"],
        priority: Priority::High,
        tier: 2,
        subjects: &[
            "API возвращает 500 на {endpoint}",
            "Ошибка 500 Internal Server Error в API",
            "Интеграция не работает: ошибки 500 с {date}",
        ],
        openings: &[
            "Около часа назад наша интеграция начала получать HTTP 500 от {endpoint}. ID запроса из ответа: {request_id}. С нашей стороны ничего не менялось.",
            "Любой POST на {endpoint} возвращает 500 Internal Server Error, GET при этом работает. Пример ID запроса: {request_id}.",
            "С {date} примерно каждый пятый запрос к {endpoint} падает с ошибкой 500. Из-за этого ломается ночная синхронизация.",
        ],
        threads: &[
            Thread {
                reply: "Спасибо за подробности — это очень помогает. Видим ошибки в логах: они возникают, когда в одном из полей передаётся пустой массив. Пока готовим исправление, попробуйте не передавать это поле, если оно пустое.",
                follow_up: "Без пустого поля всё проходит. Сообщите, пожалуйста, когда исправите.",
                resolution: "Исправление выкатили, {endpoint} теперь корректно обрабатывает этот случай — обходное решение можно убрать. Извините за неудобства!",
            },
            Thread {
                reply: "Спасибо за обращение. Передали проблему разработчикам. Пришлите, пожалуйста, полное тело запроса (без токенов и паролей), чтобы его можно было воспроизвести.",
                follow_up: "Отправляем тело запроса, токен удалён.",
                resolution: "Разработчики нашли причину и выпустили исправление, а мониторинг доработали, чтобы замечать такое раньше. Если снова увидите ошибки 500 — сразу пишите.",
            },
        ],
        notes: &[
            "Запрос {request_id}: необработанное исключение при валидации. Заведён баг на бэкенд.",
            "Воспроизвели на стейджинге, передали дежурному бэкенд-разработчику.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["mobile", "notifications"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "Не приходят push-уведомления",
            "Пропали уведомления",
            "Уведомления работают нестабильно",
        ],
        openings: &[
            "Примерно неделю назад на {device} перестали приходить push-уведомления. В настройках телефона уведомления включены.",
            "Уведомления приходят с опозданием на несколько часов, иногда только на следующее утро. Версия приложения {version}.",
            "Push-уведомления на {device} появляются только после того, как открываешь приложение.",
        ],
        threads: &[
            Thread {
                reply: "Проверьте, пожалуйста, в приложении: «Профиль» → «Уведомления» — все переключатели должны быть включены. Затем выйдите из аккаунта и войдите снова: это обновит токен устройства и в большинстве случаев решает проблему.",
                follow_up: "После повторного входа уведомления снова приходят!",
                resolution: "Отлично! Если уведомления снова пропадут, напишите примерное время — проверим журнал доставки.",
            },
            Thread {
                reply: "Давайте разберёмся. На некоторых телефонах режим энергосбережения не даёт фоновым приложениям получать уведомления. Проверьте, пожалуйста, не включена ли оптимизация батареи для нашего приложения.",
                follow_up: "Оптимизация батареи действительно была включена. Отключили — уведомления пошли.",
                resolution: "Рады, что помогло! Добавим подсказку об этом в справочный центр.",
            },
        ],
        notes: &[
            "Устаревший push-токен после обновления ОС — помогает повторный вход.",
            "Энергосбережение производителя убивает фоновые процессы.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["performance", "web"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "Очень медленно работает панель",
            "Страницы грузятся по 30 секунд",
            "Всё очень медленно работает",
        ],
        openings: &[
            "Последние несколько дней панель управления загружается больше 30 секунд. Другие сайты открываются нормально. Браузер — {browser}.",
            "Страница отчётов падает по таймауту, стоит выбрать период больше месяца.",
            "Сегодня всё ужасно тормозит: поиск, открытие обращений — буквально всё.",
        ],
        threads: &[
            Thread {
                reply: "Извините за неудобства. Откройте, пожалуйста, инструменты разработчика (F12) → вкладка «Сеть», обновите страницу и пришлите скриншот или HAR-файл — так будет видно, какой запрос выполняется медленно.",
                follow_up: "HAR-файл во вложении.",
                resolution: "Спасибо! По файлу нашли медленный запрос и добавили для него индекс в базе. Страницы должны открываться быстро — проверьте, пожалуйста.",
            },
            Thread {
                reply: "Спасибо, что написали. Мы нашли медленный запрос к базе данных, который затрагивает крупные аккаунты, и сегодня выкатываем оптимизацию. Сообщим, как только она заработает.",
                follow_up: "Есть новости? С утра всё так же медленно.",
                resolution: "Оптимизация уже работает: по нашим замерам страницы вашего аккаунта снова загружаются меньше чем за две секунды. Подтвердите, пожалуйста, что стало быстрее.",
            },
        ],
        notes: &[
            "В HAR запрос /api/reports выполняется 28 с. Нет индекса по created_at для крупных аккаунтов.",
            "Медленный запрос на крупных аккаунтах подтверждён, оптимизация вышла с сегодняшним релизом.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["outage"],
        priority: Priority::Urgent,
        tier: 2,
        subjects: &[
            "Сайт не работает!",
            "СРОЧНО: не открывается приложение",
            "Ошибка 502 на всех страницах",
        ],
        openings: &[
            "Сайт лежит: на всех страницах 502 Bad Gateway, вся поддержка стоит. Почините, пожалуйста, как можно скорее!",
            "Ничего не грузится — ни приложение, ни API. На странице статуса всё зелёное, но войти невозможно. Мы теряем деньги.",
            "У вас авария? С {time} никто из коллег не может открыть панель.",
        ],
        threads: &[
            Thread {
                reply: "Мы знаем о проблеме, инженеры уже работают над ней. Следить за ходом работ можно на странице статуса. Приносим извинения — сообщим, как только всё восстановится.",
                follow_up: "Есть новости? У нас по-прежнему ничего не работает.",
                resolution: "Работа сервиса полностью восстановлена. Причина — сбой при переключении базы данных на резервную. Подробный отчёт об инциденте опубликуем в течение 48 часов. Ещё раз приносим извинения.",
            },
            Thread {
                reply: "Спасибо, что сообщили. Подтверждаем сбой в части инфраструктуры, начавшийся в {time}. Команда выкатывает исправление, будем держать вас в курсе.",
                follow_up: "У части сотрудников заработало, у остальных — нет.",
                resolution: "Теперь сервис доступен для всех. Запросы, отправленные во время сбоя, возможно, придётся повторить. Спасибо за терпение.",
            },
        ],
        notes: &[
            "Связано с активным инцидентом на странице статуса; после разбора отправить клиенту ссылку на постмортем.",
            "Клиент на тарифе «Бизнес» — возможна компенсация по SLA.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["api", "webhooks", "bug"],
        priority: Priority::Normal,
        tier: 3,
        subjects: &[
            "Проблемы с доставкой вебхуков",
            "Вебхуки работают некорректно",
            "Сбой в доставке событий вебхуков",
        ],
        openings: &[
            "С {date} каждый вебхук ticket.updated приходит дважды — с одинаковым ID события, но разными временными метками. Из-за этого у нас появляются дубли записей.",
            "Часть событий вебхуков не доходит до нашего сервера, хотя в вашем журнале доставки они отмечены как успешные.",
            "Вебхуки приходят не по порядку: ticket.closed приходит раньше, чем ticket.created для того же обращения.",
        ],
        threads: &[
            Thread {
                reply: "Спасибо за подробное описание — такого поведения быть не должно. Пришлите, пожалуйста, несколько ID событий и примерное время, чтобы инженеры могли отследить их доставку.",
                follow_up: "Вот три ID событий за сегодняшнее утро.",
                resolution: "Инженеры нашли состояние гонки в очереди доставки и выкатили исправление. Теперь события должны приходить корректно.",
            },
            Thread {
                reply: "Спасибо. Здесь нужен более глубокий анализ, поэтому мы передали вопрос команде платформы. Пока рекомендуем на своей стороне отсекать дубли и упорядочивать события по ID и времени.",
                follow_up: "Дубли мы уже отсекаем, но для журнала аудита это всё равно проблема.",
                resolution: "Причина была в неверно настроенном обработчике в одном из регионов — его уже исправили. Спасибо, что помогли найти проблему!",
            },
        ],
        notes: &[
            "Воркер повторной отправки ставил в очередь уже подтверждённые задачи после таймаута. Эскалировано на 3-ю линию.",
            "В трейсах одно событие доставляют два воркера.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["import", "bug", "csv"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "Кракозябры после импорта CSV",
            "При импорте ломается кириллица",
            "Импорт контактов ломает имена",
        ],
        openings: &[
            "При импорте контактов из CSV вместо русских имён получаются кракозябры вроде «Ð˜Ð²Ð°Ð½». Файл сохранён в UTF-8.",
            "После импорта списка клиентов все имена на кириллице превратились в знаки вопроса. В Excel файл открывается нормально.",
            "Выгружаем базу из 1С в CSV и загружаем к вам — кириллица ломается. Пробовали сохранять и из Excel, и из Google Таблиц.",
        ],
        threads: &[
            Thread {
                reply: "Спасибо, что сообщили. Пришлите, пожалуйста, файл целиком или несколько строк, на которых воспроизводится проблема, — проверим кодировку и наличие BOM.",
                follow_up: "Отправляем пример из десяти строк.",
                resolution: "Инженеры исправили определение кодировки, и ваш пример теперь импортируется корректно. Попробуйте загрузить полный файл.",
            },
            Thread {
                reply: "Извините за неудобства. Похоже на ошибку в том, как импорт определяет кодировку файла, — мы передали её разработчикам. Пока можно сохранить файл в Excel в формате «CSV UTF-8» — обычно это помогает.",
                follow_up: "Сохранили в CSV UTF-8 — всё равно не работает.",
                resolution: "Нашли причину: импорт неправильно читал файлы в кодировке Windows-1251. Исправление уже работает — запустите импорт ещё раз и напишите о результате.",
            },
        ],
        notes: &[
            "Импорт откатывается на Latin-1 при наличии BOM. Заведён баг.",
            "Файл из 1С в cp1251, автоопределение кодировки не срабатывает.",
        ],
    },
    Scenario {
        category: "technical",
        tags: &["integration", "1c"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "Перестала работать выгрузка заказов в 1С",
            "Ошибка синхронизации с 1С",
            "Заказы не попадают в 1С",
        ],
        openings: &[
            "С {date} заказы перестали выгружаться в 1С. С нашей стороны ничего не меняли.",
            "Синхронизация с 1С:Управление торговлей вроде бы идёт, но новые заказы не появляются — последние выгружены {date}.",
            "Обмен с 1С завершается с ошибкой, и заказы за последние дни в учётную систему не попадают.",
        ],
        threads: &[
            Thread {
                reply: "Проверили: {date} у вашего API-ключа закончился срок действия, поэтому обмен получает отказ в доступе. Создайте, пожалуйста, новый ключ в разделе «Интеграции» → «1С» и укажите его в настройках обмена.",
                follow_up: "Новый ключ прописали, обмен пошёл.",
                resolution: "Отлично! Чтобы такое не повторилось, в том же разделе можно включить напоминание об истечении срока ключа.",
            },
            Thread {
                reply: "Спасибо, что написали. Пришлите, пожалуйста, журнал обмена за последний запуск и версию модуля интеграции — разберёмся, на каком шаге останавливается выгрузка.",
                follow_up: "Журнал во вложении, версия модуля — {version}.",
                resolution: "По журналу видно, что обмен упирался в лимит на размер пакета. Мы увеличили лимит для вашего аккаунта — выгрузка должна проходить полностью. Проверьте, пожалуйста.",
            },
        ],
        notes: &[
            "Истёк срок API-ключа интеграции, клиент выпустил новый.",
            "Для аккаунта увеличен лимит размера пакета обмена.",
        ],
    },
    Scenario {
        category: "shipping",
        tags: &["delivery", "delay"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Где мой заказ {order}?",
            "Заказ {order} задерживается",
            "Заказ {order} до сих пор не доставлен",
        ],
        openings: &[
            "Заказ {order} должны были доставить до {date}, но его до сих пор нет, и уведомления об отправке тоже не было.",
            "Больше недели назад был оформлен заказ на {product_acc}, а статус всё ещё «В обработке». Когда его отправят?",
            "Заказ {order} сильно опаздывает. Это подарок на день рождения, он нужен к выходным. Можно как-то ускорить?",
        ],
        threads: &[
            Thread {
                reply: "Извините за задержку! Проверили: заказ уже передан в {carrier} и сейчас находится в региональном сортировочном центре, доставка ожидается в течение двух рабочих дней. Трек-номер: {tracking}.",
                follow_up: "Хорошо, спасибо. А быстрее никак?",
                resolution: "Переоформили доставку на экспресс за наш счёт — курьер привезёт заказ завтра. Ещё раз извините за ожидание.",
            },
            Thread {
                reply: "Приносим извинения за ожидание. Заказ задержался: одного товара не оказалось на складе. Сейчас заказ собран и сегодня будет передан в доставку — трек-номер пришлём, как только он появится.",
                follow_up: "Сегодня в отслеживании по-прежнему ничего.",
                resolution: "Хорошие новости: посылка уже у курьера и сегодня будет у вас. В качестве извинения мы вернули стоимость доставки.",
            },
        ],
        notes: &[
            "Посылка застряла на сортировке {carrier}, открыли запрос перевозчику.",
            "Товара не было на складе. Вернули стоимость доставки в качестве компенсации.",
        ],
    },
    Scenario {
        category: "shipping",
        tags: &["delivery", "missing-parcel"],
        priority: Priority::High,
        tier: 1,
        subjects: &[
            "Статус «Вручено», но заказа нет",
            "Посылка не получена, хотя отмечена доставленной",
            "Потерялся заказ {order}",
        ],
        openings: &[
            "По заказу {order} стоит статус «Вручено» — вчера в {time}. Но дома никого не было, у двери ничего нет, у соседей тоже.",
            "Посылка числится доставленной, но её никто не получал. Трек-номер {tracking}. Что теперь делать?",
            "Курьер отметил заказ {order} как доставленный, но его нигде нет. На ресепшене бизнес-центра тоже ничего не оставляли.",
        ],
        threads: &[
            Thread {
                reply: "Очень жаль, что так вышло. Иногда курьеры отмечают доставку заранее или оставляют посылку у консьержа. Проверьте, пожалуйста, ещё раз — а если в течение 48 часов заказ не найдётся, откроем расследование в {carrier}.",
                follow_up: "Прошло два дня — заказа так и нет.",
                resolution: "Служба доставки подтвердила, что посылку оставили по неверному адресу. Мы отправили вам замену экспресс-доставкой, трек-номер: {tracking}.",
            },
            Thread {
                reply: "Приносим извинения! Мы открыли расследование в {carrier}: там проверят GPS-данные курьера в момент доставки. Обычно это занимает 3–5 рабочих дней, мы сообщим, как только получим ответ.",
                follow_up: "Спасибо. А можно сразу отправить замену, не дожидаясь итогов?",
                resolution: "Да, отправили замену, не дожидаясь окончания расследования. Трек-номер: {tracking}. Если исходная посылка всё-таки найдётся, просто напишите нам.",
            },
        ],
        notes: &[
            "По GPS отметка о вручении в 2 км от адреса. Отправили замену.",
            "Уже второе обращение о потерянной посылке с этого адреса — проверять перед одобрением.",
        ],
    },
    Scenario {
        category: "shipping",
        tags: &["address", "pickup-point"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Изменить адрес доставки заказа {order}",
            "Ошибка в адресе доставки",
            "Изменить данные доставки",
        ],
        openings: &[
            "В заказе {order} указан старый адрес. Можно исправить, пока заказ не отправлен?",
            "Пункт выдачи, выбранный для заказа {order}, закрылся на ремонт. Можно перенаправить посылку в другой?",
            "В адресе доставки заказа {order} опечатка: номер квартиры 47, а не 74. Ещё не поздно исправить?",
        ],
        threads: &[
            Thread {
                reply: "Без проблем: заказ ещё не отправлен, поэтому данные доставки можно изменить. Пришлите, пожалуйста, новый адрес с индексом или выберите другой пункт выдачи и укажите телефон для связи.",
                follow_up: "Новый адрес: ул. Лесная, д. 12, кв. 47. Телефон тот же, что в профиле.",
                resolution: "Адрес обновлён, заказ будет доставлен по новому адресу.",
            },
            Thread {
                reply: "К сожалению, посылка уже передана в {carrier}. Изменить пункт выдачи или адрес можно на сайте перевозчика по трек-номеру {tracking}.",
                follow_up: "Получилось поменять на сайте перевозчика, спасибо.",
                resolution: "Отлично! Если будут сложности с получением — пишите, поможем.",
            },
        ],
        notes: &[
            "Адрес обновлён в складской системе до сборки.",
            "Уже отгружено — клиент меняет адрес через перевозчика.",
        ],
    },
    Scenario {
        category: "returns",
        tags: &["wrong-item", "exchange"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Пришёл не тот товар",
            "В заказе {order} другой товар",
            "Прислали не то, что заказывали",
        ],
        openings: &[
            "Заказывали {product_acc}, а в коробке — {other}. Заказ {order}.",
            "Сегодня пришла посылка, но вместо {product_gen} прислали {other_acc}. Как получить правильный товар?",
            "В заказе {order} оказался совсем другой товар. Фото прикладываю.",
        ],
        threads: &[
            Thread {
                reply: "Приносим извинения за путаницу! Правильный товар отправим в ближайшее время, а для возврата присланного по ошибке приложим оплаченную этикетку — отправить его можно без спешки.",
                follow_up: "Спасибо! Упаковывать обязательно в оригинальную коробку?",
                resolution: "Нет, подойдёт любая коробка. Правильный товар уже в пути, трек-номер: {tracking}.",
            },
            Thread {
                reply: "Извините за ошибку. Пришлите, пожалуйста, фото товара и наклейки на коробке — после этого сразу отправим то, что вы заказывали.",
                follow_up: "Фото во вложении.",
                resolution: "Спасибо! Замену отправили сегодня, трек-номер: {tracking}. Ещё раз извините за неудобства.",
            },
        ],
        notes: &[
            "Ошибка комплектации на складе: перепутаны ячейки. Сообщили старшему смены.",
            "Замену отправили до получения возврата — клиент надёжный.",
        ],
    },
    Scenario {
        category: "returns",
        tags: &["return-label", "refund"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Хочу вернуть товар",
            "Как оформить возврат {product_gen}?",
            "Возврат по заказу {order}",
        ],
        openings: &[
            "Хочу вернуть {product_acc} из заказа {order}. Как оформить возврат?",
            "Как вернуть {product_acc}? Упаковка не вскрыта, с момента покупки прошло меньше двух недель.",
            "Пришлите, пожалуйста, этикетку для возврата по заказу {order}. Нужен возврат денег, а не обмен.",
        ],
        threads: &[
            Thread {
                reply: "Конечно! Прикладываем оплаченную этикетку для возврата. Упакуйте товар, наклейте этикетку и сдайте посылку в любой пункт {carrier}. Деньги вернём, как только она придёт на склад.",
                follow_up: "Сегодня сдали посылку.",
                resolution: "Возврат получен — {amount} вернули на карту, с которой оплачивался заказ. Деньги могут идти несколько рабочих дней.",
            },
            Thread {
                reply: "Конечно. Подскажите, пожалуйста, причину возврата — это поможет нам стать лучше. После этого сразу пришлём этикетку.",
                follow_up: "Передумали — нашлась модель удобнее.",
                resolution: "Спасибо! Этикетка во вложении. Как только {carrier} примет посылку, запустим возврат денег.",
            },
        ],
        notes: &[
            "Возврат в пределах 14 дней, упаковка целая — полный возврат.",
            "Причину возврата отметили для товарной команды.",
        ],
    },
    Scenario {
        category: "returns",
        tags: &["damaged", "replacement"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Товар пришёл повреждённым",
            "Заказ {order} повреждён при доставке",
            "Посылка пришла разбитой",
        ],
        openings: &[
            "Получили заказ {order}: у {product_gen} треснул корпус, коробка смята с одной стороны.",
            "Открыли посылку, а внутри всё разбито — товар даже не включается. Хотелось бы замену.",
            "Заказ {order} пришёл повреждённым. Есть фото коробки и самого товара.",
        ],
        threads: &[
            Thread {
                reply: "Очень жаль, что так получилось! Пришлите, пожалуйста, фото повреждений и внешней упаковки — оформим замену или возврат денег, как вам удобнее.",
                follow_up: "Фото отправили. Лучше замену.",
                resolution: "Замену отправили, трек-номер: {tracking}. Претензию к службе доставки мы подали сами.",
            },
            Thread {
                reply: "Приносим извинения. Возвращать повреждённый товар не нужно. Что предпочитаете: замену или полный возврат денег?",
                follow_up: "Лучше вернуть деньги.",
                resolution: "Оформили полный возврат {amount}. Ещё раз извините!",
            },
        ],
        notes: &[
            "Подана претензия перевозчику с фото.",
            "Возврат повреждённого товара не требуем — дешевле списать.",
        ],
    },
    Scenario {
        category: "returns",
        tags: &["refund"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Не пришли деньги за возврат",
            "Возврат по заказу {order} — денег нет",
            "Какой статус возврата?",
        ],
        openings: &[
            "Две недели назад оформлен возврат по заказу {order}. По трекингу посылка получена вашим складом {date}, а деньги так и не поступили.",
            "Где деньги за возврат по заказу {order}? С тех пор как вы получили товар, прошло больше десяти дней.",
            "В письме написано, что возврат оформлен, но {amount} на карту так и не пришли.",
        ],
        threads: &[
            Thread {
                reply: "Извините за ожидание! Видим, что возврат поступил на склад {date} и прошёл проверку. Мы только что отправили деньги — они поступят на карту в течение нескольких рабочих дней.",
                follow_up: "Спасибо, буду ждать.",
                resolution: "Пожалуйста! Если деньги не поступят в течение 10 рабочих дней — напишите нам, проверим.",
            },
            Thread {
                reply: "Спасибо за терпение. С нашей стороны возврат {amount} проведён, но банку обычно нужно 5–10 рабочих дней, чтобы зачислить деньги. Прикладываем номер операции — по нему банк сможет найти платёж.",
                follow_up: "Деньги пришли, спасибо!",
                resolution: "Рады, что всё дошло! Обращайтесь, если понадобится помощь.",
            },
        ],
        notes: &[
            "Возврат завис в очереди проверки — провели вручную.",
            "Выдали клиенту номер операции для банка.",
        ],
    },
    Scenario {
        category: "product",
        tags: &["presales", "compatibility", "warranty"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Вопрос перед покупкой",
            "Вопрос по товару: {product}",
            "Консультация перед заказом",
        ],
        openings: &[
            "Подскажите, можно ли использовать {product_acc} с телефоном {device}? В описании товара об этом ничего нет.",
            "Думаем купить {product_acc}. Зарядное устройство идёт в комплекте или его нужно покупать отдельно?",
            "Какая гарантия на {product_acc}? И действует ли она, если товар покупается в подарок?",
        ],
        threads: &[
            Thread {
                reply: "Отличный вопрос! Управлять устройством можно с любого iPhone или Android-смартфона через наше приложение. Зарядного устройства в комплекте нет, но подойдёт любое с разъёмом USB-C. Гарантия — 2 года.",
                follow_up: "Отлично, оформляем заказ.",
                resolution: "Приятных покупок! Если появятся вопросы — пишите.",
            },
            Thread {
                reply: "Гарантия 2 года, и неважно, кто пользуется товаром, — достаточно сохранить подтверждение заказа. Устройство работает с любым современным смартфоном, заряжается через USB-C (зарядное устройство в комплект не входит).",
                follow_up: "А подарочную упаковку можно заказать?",
                resolution: "Да, отметьте «Подарочная упаковка» при оформлении — чек в коробку класть не будем.",
            },
        ],
        notes: &[
            "Вопрос перед покупкой. На странице товара нет информации о совместимости — передали контент-менеджерам.",
            "Предложили комплект с зарядным устройством.",
        ],
    },
    Scenario {
        category: "product",
        tags: &["warranty", "defect"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Сломался товар на гарантии",
            "Гарантийный случай: {product}",
            "Неисправность: {product}",
        ],
        openings: &[
            "Купили {product_acc} четыре месяца назад, а теперь устройство не включается. Гарантия ещё действует — что делать?",
            "У {product_gen} начались самопроизвольные отключения: через пару минут работы устройство выключается.",
            "Аккумулятор {product_gen} теперь держит меньше часа, хотя раньше его хватало на весь день.",
        ],
        threads: &[
            Thread {
                reply: "Жаль это слышать! Давайте сначала попробуем сброс: зажмите кнопку питания на 15 секунд, отпустите и поставьте устройство заряжаться хотя бы на 30 минут. Если не поможет — оформим гарантийную замену.",
                follow_up: "Сброс не помог, всё так же.",
                resolution: "Спасибо, что попробовали. Гарантийный случай подтверждён: отправим замену и приложим оплаченную этикетку для отправки неисправного устройства.",
            },
            Thread {
                reply: "Это точно ненормально. Пришлите, пожалуйста, номер заказа и короткое видео с проблемой — оформим гарантийное обращение.",
                follow_up: "Заказ {order}, видео во вложении.",
                resolution: "Замену одобрили, она будет отправлена в течение двух рабочих дней.",
            },
        ],
        notes: &[
            "Известная проблема ранней партии — замену одобрили.",
            "Гарантия действует, покупка {date}.",
        ],
    },
    Scenario {
        category: "product",
        tags: &["stock", "presales"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Когда ожидается поступление {product_gen}?",
            "Наличие: {product}",
            "Нет в наличии: {product}",
        ],
        openings: &[
            "Уже несколько недель нет в наличии {product_gen}. Не подскажете, когда ожидается поступление?",
            "Можно ли оформить предзаказ на {product_acc}? Хотелось бы забронировать.",
            "Будет ли поступление {product_gen} в ближайший месяц? Нужно к поездке.",
        ],
        threads: &[
            Thread {
                reply: "Спасибо за интерес! Следующая поставка ожидается около {date}. Нажмите «Сообщить о поступлении» на странице товара — пришлём письмо, как только он появится в продаже.",
                follow_up: "Подписались на уведомление, спасибо.",
                resolution: "Отлично, письмо придёт сразу, как только товар поступит на склад.",
            },
            Thread {
                reply: "К сожалению, предзаказ на этот товар сейчас недоступен, но мы добавили вас в лист ожидания — вы узнаете о поступлении одними из первых.",
                follow_up: "А есть похожая модель в наличии прямо сейчас?",
                resolution: "Да, обратите внимание: {other} — хорошая альтернатива, и этот товар есть в наличии. Если нужно, пришлём сравнение характеристик.",
            },
        ],
        notes: &[
            "Срок поставки от поставщика: {date}.",
            "Третий запрос на этот товар за неделю — передать в закупки.",
        ],
    },
    Scenario {
        category: "security",
        tags: &["suspicious-login", "account-security"],
        priority: Priority::High,
        tier: 2,
        subjects: &[
            "Подозрительная активность в аккаунте",
            "Кто-то зашёл в мой аккаунт",
            "Кажется, аккаунт взломали",
        ],
        openings: &[
            "Только что пришло письмо о входе в аккаунт из {city} в {time}. Это точно не я! Что делать?",
            "В истории входов есть сессия с IP {ip}, которую я не узнаю. Похоже, кто-то получил доступ к аккаунту.",
            "Кажется, аккаунт взломали: пароль перестал подходить, а на почту пришло уведомление о входе с нового устройства.",
        ],
        threads: &[
            Thread {
                reply: "Спасибо, что быстро сообщили. В качестве меры предосторожности мы завершили все активные сеансы. Пожалуйста, сразу смените пароль и включите двухфакторную аутентификацию. Этот пароль использовался на других сайтах?",
                follow_up: "Да, такой же пароль был на другом сайте. Теперь он везде сменён, 2FA включена.",
                resolution: "Спасибо! По журналу аудита за время подозрительного сеанса данные не выгружались и не изменялись. Аккаунт в безопасности.",
            },
            Thread {
                reply: "Мы относимся к этому очень серьёзно. Аккаунт временно заблокирован, на вашу почту отправлена защищённая ссылка для смены пароля. После смены пароля проверьте, пожалуйста, последние действия в аккаунте и сообщите, если что-то изменилось.",
                follow_up: "Пароль сменён, 2FA включена. Вроде бы ничего не поменялось.",
                resolution: "Отлично — аккаунт разблокирован и защищён. Дополнительно мы заблокировали IP-адрес {ip}.",
            },
        ],
        notes: &[
            "Вход с {ip}: известная подсеть для перебора учётных данных. Сеансы завершены.",
            "По журналу аудита доступа к данным из подозрительной сессии не было.",
        ],
    },
    Scenario {
        category: "security",
        tags: &["phishing"],
        priority: Priority::Normal,
        tier: 2,
        subjects: &[
            "Фишинговое письмо от вашего имени",
            "Это письмо действительно от вас?",
            "Подозрительное письмо от вашего имени",
        ],
        openings: &[
            "Пришло письмо: якобы аккаунт заблокируют, если не «подтвердить платёжные данные». Ссылка ведёт на странный домен. Это от вас?",
            "Получили поддельный счёт, очень похожий на ваш: просят оплатить {amount} по другим реквизитам. Пересылаем его вам.",
            "Нескольким сотрудникам пришло письмо с просьбой войти в аккаунт по ссылке. Оформление ваше, но адрес отправителя странный.",
        ],
        threads: &[
            Thread {
                reply: "Спасибо, что переслали, — это письмо не от нас. Не переходите по ссылке и не вводите никаких данных. Мы уже отправили жалобу на домен, чтобы его заблокировали. Если пароль всё-таки был где-то введён, смените его немедленно.",
                follow_up: "К счастью, по ссылке никто не переходил.",
                resolution: "Хорошо. Фишинговый сайт уже заблокирован. Спасибо, что помогаете нам защищать пользователей!",
            },
            Thread {
                reply: "Спасибо за бдительность. Мы никогда не просим по почте перевести деньги на новые реквизиты или сообщить пароль. Служба безопасности уже занимается блокировкой этого сайта.",
                follow_up: "Один сотрудник всё-таки ввёл пароль. Его уже поменяли.",
                resolution: "Спасибо, что быстро среагировали. На всякий случай мы завершили все сеансы этого пользователя.",
            },
        ],
        notes: &[
            "Фишинговый домен передан регистратору и в Safe Browsing.",
            "Отправили администратору клиента памятку по фишингу.",
        ],
    },
    Scenario {
        category: "security",
        tags: &["vulnerability", "bug-bounty"],
        priority: Priority::High,
        tier: 3,
        subjects: &[
            "Сообщение об уязвимости",
            "Уязвимость в вашем сервисе",
            "Ответственное раскрытие уязвимости",
        ],
        openings: &[
            "Обнаружена хранимая XSS: HTML-код в комментарии к обращению выполняется, когда агент открывает это обращение. Могу передать PoC по закрытому каналу.",
            "При тестировании интеграции выяснилось, что {endpoint} отдаёт записи чужих аккаунтов, если поменять ID в URL. Реальные данные не просматривали — только подтвердили сам факт.",
            "Хотим сообщить об уязвимости в рамках ответственного раскрытия. Есть ли у вас программа bug bounty или контакт службы безопасности?",
        ],
        threads: &[
            Thread {
                reply: "Спасибо, что сообщили ответственно. Мы передали информацию службе безопасности — специалисты свяжутся с вами напрямую в течение одного рабочего дня. Пожалуйста, не публикуйте подробности до выхода исправления.",
                follow_up: "Договорились, ждём связи.",
                resolution: "Служба безопасности подтвердила уязвимость и выпустила исправление. Спасибо! Свяжемся с вами насчёт вознаграждения по программе bug bounty.",
            },
            Thread {
                reply: "Спасибо! Отправьте, пожалуйста, подробности через защищённую форму на странице безопасности — мы подтвердим получение в течение 24 часов.",
                follow_up: "Подробности отправлены через форму. Есть новости по исправлению?",
                resolution: "Уязвимость закрыта. Очень ценим ответственное раскрытие — мы добавили вас в зал славы на странице безопасности.",
            },
        ],
        notes: &[
            "Передано службе безопасности — приоритет P1. Детали в обращении не обсуждать.",
            "Подтверждено службой безопасности, исправление выкачено, автор отмечен.",
        ],
    },
    Scenario {
        category: "feedback",
        tags: &["feature-request"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Предложение по улучшению",
            "Идея для сервиса",
            "Пожелание по функциональности",
        ],
        openings: &[
            "Очень не хватает тёмной темы в веб-версии. Работаю допоздна, и белый фон сильно утомляет глаза.",
            "Было бы здорово выгружать отчёты сразу в Excel, а не в CSV. Руководство просит об этом каждую неделю.",
            "Добавьте, пожалуйста, отложенную отправку ответов — у нас клиенты в разных часовых поясах.",
        ],
        threads: &[
            Thread {
                reply: "Спасибо за идею! Передали её команде продукта и учли ваш голос. Обещать сроки не можем, но такие запросы напрямую влияют на наши планы.",
                follow_up: "Спасибо! А есть публичный план развития?",
                resolution: "Да, он опубликован на сайте в разделе «Дорожная карта» — там же можно голосовать за новые функции.",
            },
            Thread {
                reply: "Отличная идея — об этом просите не только вы. Мы привязали ваше обращение к существующей задаче, и вы получите уведомление, когда функция появится.",
                follow_up: "Отлично, будем ждать.",
                resolution: "Спасибо, что делитесь идеями! Сообщим, как только будут новости.",
            },
        ],
        notes: &[
            "Добавили +1 к запросу на продуктовой доске.",
            "Популярный запрос — больше 40 голосов.",
        ],
    },
    Scenario {
        category: "feedback",
        tags: &["praise"],
        priority: Priority::Low,
        tier: 1,
        subjects: &[
            "Спасибо!",
            "Отличная поддержка",
            "Хочу поблагодарить вашу команду",
        ],
        openings: &[
            "Хочу сказать спасибо вашей поддержке: проблему с заказом решили за один день. Отличный сервис!",
            "Пользуюсь вашим приложением уже год, и оно становится только лучше. Последнее обновление — просто огонь.",
            "Ваш сотрудник очень терпеливо помог со всеми настройками. Передайте ему, пожалуйста, огромное спасибо!",
        ],
        threads: &[
            Thread {
                reply: "Большое спасибо за тёплые слова! Поделились вашим сообщением с командой — вы нам очень подняли настроение.",
                follow_up: "Так держать!",
                resolution: "Спасибо! Хорошей вам недели.",
            },
            Thread {
                reply: "Очень приятно это слышать, спасибо! Такие отзывы очень много для нас значат.",
                follow_up: "Уже советую вас друзьям.",
                resolution: "Это лучшая похвала! Если что-то понадобится — мы всегда на связи.",
            },
        ],
        notes: &[
            "Поделились в канале #kudos.",
            "Позитивный отзыв — можно попросить разрешение на публикацию.",
        ],
    },
    Scenario {
        category: "feedback",
        tags: &["complaint", "response-time"],
        priority: Priority::Normal,
        tier: 1,
        subjects: &[
            "Очень недовольны поддержкой",
            "Недовольны работой поддержки",
            "Жалоба на скорость ответа",
        ],
        openings: &[
            "Ответа на предыдущее обращение нет уже пять дней. Для платного сервиса это недопустимо.",
            "Уже третий раз объясняю проблему разным сотрудникам. Может ли кто-нибудь наконец взяться за неё целиком?",
            "Ваш чат-бот ходит по кругу и так и не переключает на живого оператора.",
        ],
        threads: &[
            Thread {
                reply: "Нам очень жаль, что так вышло, — это не тот уровень сервиса, к которому мы стремимся. Я лично беру ваше обращение и доведу его до решения. Опишите, пожалуйста, коротко, на каком этапе сейчас вопрос.",
                follow_up: "Спасибо. Исходная проблема до сих пор не решена: не работает выгрузка отчётов.",
                resolution: "Проблема с выгрузкой отчётов решена, а в качестве извинения мы добавили к вашей подписке месяц бесплатного использования.",
            },
            Thread {
                reply: "Вы правы, приносим извинения. Мы нашли ваше предыдущее обращение и передали его старшему специалисту — он свяжется с вами сегодня.",
                follow_up: "Хорошо, жду звонка.",
                resolution: "Спасибо за терпение. Я остаюсь вашим контактным лицом по этому вопросу — пишите напрямую в эту переписку.",
            },
        ],
        notes: &[
            "Компенсация — месяц бесплатно, согласовано с тимлидом.",
            "У клиента было три передачи между агентами — пересмотреть правила маршрутизации.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    const PRIORITIES: &[&str] = &["low", "normal", "high", "urgent"];

    fn samples(n: usize, seed: u64) -> Vec<Conversation> {
        let mut rng = StdRng::seed_from_u64(seed);
        (0..n).map(|_| conversation(&mut rng)).collect()
    }

    fn has_cyrillic(s: &str) -> bool {
        s.chars()
            .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
    }

    fn texts(c: &Conversation) -> impl Iterator<Item = &str> {
        std::iter::once(c.subject.as_str())
            .chain(c.turns.iter().map(|(_, t)| t.as_str()))
            .chain(c.internal_note.as_deref())
    }

    #[test]
    fn turns_start_with_the_customer_and_alternate() {
        for c in samples(1_000, 1) {
            assert!((1..=6).contains(&c.turns.len()), "{} turns", c.turns.len());
            for (i, (by_customer, text)) in c.turns.iter().enumerate() {
                assert_eq!(*by_customer, i % 2 == 0, "turn {i} of {:?}", c.subject);
                assert!(!text.trim().is_empty());
            }
        }
    }

    #[test]
    fn fields_are_within_their_domains() {
        for c in samples(1_000, 2) {
            assert!(CATEGORIES.contains(&c.category), "{}", c.category);
            assert!(PRIORITIES.contains(&c.priority), "{}", c.priority);
            assert!((1..=3).contains(&c.tier), "{}", c.tier);
            assert!(c.tags.len() <= 3);
            assert_eq!(
                c.tags.iter().collect::<HashSet<_>>().len(),
                c.tags.len(),
                "{:?}",
                c.tags
            );
            for tag in &c.tags {
                assert!(
                    !tag.is_empty()
                        && tag
                            .chars()
                            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                    "{tag}"
                );
            }
            assert!(!c.subject.trim().is_empty());
            assert!(c.subject.chars().count() <= 200, "{}", c.subject);
        }
    }

    #[test]
    fn priorities_are_mostly_normal_and_rarely_urgent() {
        let all = samples(2_000, 3);
        let count = |p: &str| all.iter().filter(|c| c.priority == p).count();
        let normal = count("normal");
        assert!(PRIORITIES.iter().all(|p| count(p) <= normal));
        assert!(count("urgent") > 0 && count("urgent") < all.len() / 20);
        assert!(all.iter().filter(|c| c.tier == 1).count() > all.len() / 2);
        assert!(all.iter().any(|c| c.tier == 3));
    }

    #[test]
    fn both_locales_appear_and_russian_is_cyrillic() {
        let all = samples(200, 4);
        let ru = all.iter().filter(|c| c.locale == "ru").count();
        let en = all.iter().filter(|c| c.locale == "en").count();
        assert_eq!(ru + en, all.len());
        assert!(ru > 40 && en > 80, "ru {ru}, en {en}");
        for c in &all {
            if c.locale == "ru" {
                assert!(has_cyrillic(&c.subject), "{c:?}");
                assert!(c.turns.iter().all(|(_, t)| has_cyrillic(t)), "{c:?}");
            } else {
                assert!(texts(c).all(|t| !has_cyrillic(t)), "{c:?}");
            }
        }
    }

    #[test]
    fn every_placeholder_is_filled() {
        for c in samples(2_000, 5) {
            for text in texts(&c) {
                assert!(!text.contains('{') && !text.contains('}'), "{text}");
            }
        }
    }

    #[test]
    fn conversations_vary() {
        let all = samples(1_000, 6);
        let subjects: HashSet<_> = all.iter().map(|c| c.subject.as_str()).collect();
        let openings: HashSet<_> = all.iter().map(|c| c.turns[0].1.as_str()).collect();
        assert!(subjects.len() > 300, "{} distinct subjects", subjects.len());
        assert!(
            openings.len() > 800,
            "{} distinct first messages",
            openings.len()
        );
        assert!(all.iter().any(|c| c.internal_note.is_some()));
        assert!(all.iter().any(|c| c.internal_note.is_none()));
    }

    #[test]
    fn same_seed_gives_same_content() {
        assert_eq!(samples(50, 7), samples(50, 7));
    }

    #[test]
    fn scenarios_are_complete_in_both_languages() {
        for locale in [&EN, &RU] {
            assert!(
                locale.scenarios.len() >= 25,
                "{}: {} scenarios",
                locale.code,
                locale.scenarios.len()
            );
            for category in CATEGORIES {
                assert!(
                    locale.scenarios.iter().any(|s| s.category == *category),
                    "{}: no {category}",
                    locale.code
                );
            }
            for s in locale.scenarios {
                assert!(CATEGORIES.contains(&s.category));
                assert!((1..=3).contains(&s.tier));
                assert!(!s.tags.contains(&"vip"));
                assert!(!s.subjects.is_empty() && !s.openings.is_empty() && !s.threads.is_empty());
                assert_eq!(s.notes.len(), s.threads.len(), "{:?}", s.subjects);
            }
            for pool in [
                locale.greetings,
                locale.closers,
                locale.agent_greetings,
                locale.thanks,
                locale.farewells,
                locale.amounts,
                locale.plans,
                locale.carriers,
                locale.cities,
                locale.companies,
                locale.browsers,
            ] {
                assert!(!pool.is_empty());
            }
            assert_eq!(locale.months.len(), 12);
            assert!(locale.products.len() >= 2);
        }
    }

    #[test]
    fn emails_are_unique_ascii_and_match_the_locale() {
        let mut rng = StdRng::seed_from_u64(8);
        let mut seen = HashSet::new();
        for serial in 0..2_000u64 {
            let locale = if serial % 3 == 0 { "ru" } else { "en" };
            let p = person(&mut rng, locale, serial);
            assert!(p.email.is_ascii(), "{}", p.email);
            let (local, domain) = p.email.split_once('@').expect("an @ in the email");
            assert!(
                local
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.'),
                "{}",
                p.email
            );
            assert!(local.ends_with(&serial.to_string()));
            assert!(seen.insert(p.email.clone()), "duplicate {}", p.email);
            if locale == "ru" {
                assert_eq!(domain, "example.ru");
                assert!(has_cyrillic(&p.name), "{}", p.name);
            } else {
                assert_eq!(domain, "example.com");
                assert!(p.name.is_ascii(), "{}", p.name);
            }
            assert_eq!(p.name.split(' ').count(), 2, "{}", p.name);
        }
    }

    #[test]
    fn russian_names_are_transliterated_and_agree_in_gender() {
        assert_eq!(email_slug("Анна"), "anna");
        assert_eq!(email_slug("Смирнова"), "smirnova");
        assert_eq!(email_slug("Соловьёв"), "solovev");
        assert_eq!(email_slug("Щукин"), "shchukin");
        assert_eq!(email_slug("O'Brien"), "obrien");
        assert_eq!(feminine_surname("Смирнов"), "Смирнова");
        assert_eq!(feminine_surname("Ильин"), "Ильина");
        assert_eq!(feminine_surname("Островский"), "Островская");
        assert_eq!(feminine_surname("Трубецкой"), "Трубецкая");
        assert_eq!(feminine_surname("Шевченко"), "Шевченко");
    }

    #[test]
    fn companies_use_example_domains() {
        assert!(COMPANIES.len() >= 8);
        assert!(COMPANIES.iter().any(|c| has_cyrillic(c.name)));
        assert!(COMPANIES.iter().any(|c| c.name.is_ascii()));
        let domains: HashSet<_> = COMPANIES.iter().map(|c| c.domain).collect();
        assert_eq!(domains.len(), COMPANIES.len());
        for c in COMPANIES {
            assert!(
                [".example.com", ".example.ru", ".example.org"]
                    .iter()
                    .any(|suffix| c.domain.ends_with(suffix)),
                "{}",
                c.domain
            );
            assert!(
                c.domain.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'.'
                    || b == b'-')
            );
        }
    }

    #[test]
    fn render_fills_known_keys_and_keeps_the_rest() {
        let vars = Vars(vec![("order", "#12345".to_owned())]);
        assert_eq!(vars.render("Order {order} is late"), "Order #12345 is late");
        assert_eq!(vars.render("{unknown} and {order}"), "{unknown} and #12345");
        assert_eq!(vars.render("open { brace"), "open { brace");
    }
}
