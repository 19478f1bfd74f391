//! The demo help center: categories and articles (English, most with a Russian translation)
//! on the topics the demo tickets are about, so suggestions, search and deflection have
//! something to find.

use ferrodesk_core::Visibility;
use ferrodesk_core::kb::{ArticleStatus, Locale};
use ferrodesk_kb::{self as kb, NewArticle, NewCategory};
use ferrodesk_store::{Actor, Db, StoreError};

/// An English article: title, Markdown body, the Russian translation (title, body), tags.
type Entry = (
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
    &'static [&'static str],
);

const CATEGORIES: &[(&str, &[Entry])] = &[
    (
        "Account and security",
        &[
            (
                "Resetting your password",
                "If you forgot your password:\n\n1. Open the sign-in page and choose **Forgot password**.\n2. Enter the email of your account.\n3. Follow the link in the reset email within one hour.\n\nThe reset email never arrives? Check the spam folder, and make sure the address is the one on your account.",
                Some((
                    "Как сбросить пароль",
                    "Если вы забыли пароль:\n\n1. Откройте страницу входа и нажмите **Забыли пароль**.\n2. Введите адрес почты учётной записи.\n3. Перейдите по ссылке из письма для сброса в течение часа.\n\nПисьмо для сброса пароля не приходит? Проверьте папку «Спам» и убедитесь, что адрес совпадает с адресом учётной записи.",
                )),
                &["password", "sign-in"],
            ),
            (
                "Lost your phone? Recovering two-factor authentication (2FA)",
                "Without your phone you can still sign in with one of the **backup codes** you saved when you turned on two-factor authentication.\n\nNo backup codes? Reply to your ticket from the account's email address and we will verify your identity and reset 2FA.",
                Some((
                    "Потеряли телефон: как восстановить доступ к 2FA",
                    "Без телефона можно войти с одним из **резервных кодов**, сохранённых при включении двухфакторной аутентификации.\n\nРезервных кодов нет? Ответьте на обращение с адреса учётной записи — мы проверим личность и сбросим 2FA.",
                )),
                &["2fa", "security"],
            ),
            (
                "Changing the email address of your account",
                "Go to **Settings → Profile**, enter the new address and confirm it with the link we send there. The old address gets a notice.",
                None,
                &["account"],
            ),
        ],
    ),
    (
        "Billing and payments",
        &[
            (
                "Charged twice? How refunds for double charges work",
                "A double charge is usually a **pending authorisation** that your bank releases within 3–5 working days. If both charges are still there after that, send us the order number and we refund the duplicate.",
                Some((
                    "Двойное списание: как вернуть деньги",
                    "Двойное списание обычно — это **блокировка средств**, которую банк снимает за 3–5 рабочих дней. Если через этот срок списаний по-прежнему два, пришлите номер заказа, и мы вернём лишнее.",
                )),
                &["refund", "billing"],
            ),
            (
                "Invoices with your company details and VAT number",
                "Add your company name, address and VAT number under **Billing → Invoice details**. New invoices use them at once; for an earlier invoice, ask us to re-issue it.",
                Some((
                    "Закрывающие документы и реквизиты компании",
                    "Укажите реквизиты компании в разделе **Оплата → Реквизиты**. Новые документы сразу будут с ними; для прошлых счетов попросите нас переоформить документы.",
                )),
                &["invoice", "billing"],
            ),
            (
                "Payment failing or card declined",
                "Check that the card has not expired and allows online payments. Some banks block the first payment to a new merchant: approve it in your bank's app and try again.",
                Some((
                    "Проблема с оплатой: карта отклонена",
                    "Проверьте срок действия карты и разрешены ли онлайн-платежи. Некоторые банки блокируют первый платёж новому продавцу — подтвердите его в приложении банка и повторите оплату.",
                )),
                &["payment"],
            ),
        ],
    ),
    (
        "Orders and delivery",
        &[
            (
                "Where is my order? Tracking a parcel",
                "The tracking link is in your shipping confirmation email. Tracking says *delivered* but you have nothing? Check with neighbours and the building's mailroom, then tell us within 7 days.",
                None,
                &["delivery", "tracking"],
            ),
            (
                "Returning an item and getting a return label",
                "Request a return label from **Orders → Return** within 30 days. Damaged or wrong items are returned at our cost.",
                None,
                &["returns"],
            ),
        ],
    ),
];

/// Creates the demo help center unless articles exist.
pub async fn ensure_kb(db: &Db) -> Result<(), StoreError> {
    let existing = kb::list_articles(
        db,
        &kb::ArticleFilter::default(),
        ferrodesk_store::PageRequest::first(1),
    )
    .await?;
    if !existing.items.is_empty() {
        return Ok(());
    }
    let actor = Actor::system();
    for (position, (name, entries)) in CATEGORIES.iter().enumerate() {
        let category = kb::create_category(
            db,
            actor,
            NewCategory {
                name: (*name).into(),
                parent_id: None,
                description: None,
                position: Some(position as i64),
            },
        )
        .await?;
        for (title, body, ru, tags) in entries.iter() {
            let en = kb::create_article(
                db,
                actor,
                NewArticle {
                    title: (*title).into(),
                    body: (*body).into(),
                    locale: Locale::En,
                    category_id: Some(category.id),
                    visibility: Visibility::Public,
                    status: ArticleStatus::Published,
                    tags: tags.iter().map(|t| t.to_string()).collect(),
                    kind: None,
                    publish_at: None,
                    translation_of: None,
                },
            )
            .await?;
            if let Some((ru_title, ru_body)) = ru {
                kb::create_article(
                    db,
                    actor,
                    NewArticle {
                        title: (*ru_title).into(),
                        body: (*ru_body).into(),
                        locale: Locale::Ru,
                        category_id: Some(category.id),
                        visibility: Visibility::Public,
                        status: ArticleStatus::Published,
                        tags: tags.iter().map(|t| t.to_string()).collect(),
                        kind: None,
                        publish_at: None,
                        translation_of: Some(en.id),
                    },
                )
                .await?;
            }
        }
    }
    kb::create_article(
        db,
        actor,
        NewArticle {
            title: "Refunds over 500: who approves (internal)".into(),
            body: "Refunds over 500 need a supervisor's approval: add an internal note and assign the ticket to the line 2 lead. Never promise a date before approval.".into(),
            locale: Locale::En,
            category_id: None,
            visibility: Visibility::Internal,
            status: ArticleStatus::Published,
            tags: vec!["refund".into()],
            kind: None,
            publish_at: None,
            translation_of: None,
        },
    )
    .await?;
    Ok(())
}
