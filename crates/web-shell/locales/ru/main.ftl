# Ferrodesk — русский

nav-tickets = Обращения
nav-admin = Администрирование
nav-settings = Настройки
nav-shortcuts = Горячие клавиши
nav-sign-out = Выйти

action-apply = Применить
action-assign-me = Взять себе
action-back = Назад
action-close = Закрыть
action-filter = Отобрать
action-more = Ещё обращения
action-next-page = Следующая страница
action-save = Сохранить
action-send = Отправить
action-send-link = Прислать ссылку
action-sign-in = Войти
action-sign-up = Зарегистрироваться
action-submit = Отправить запрос
action-create = Создать
action-deactivate = Отключить
action-reactivate = Включить
action-delete = Удалить

login-title = Вход в Ferrodesk
login-customer-hint = Вы клиент? Перейдите на портал поддержки.
settings-title = Ваши настройки
tokens-title = Токены доступа
tokens-hint = Токен действует от вашего имени при обращениях к программному интерфейсу (заголовок Authorization: Bearer …). Отзовите те, которыми больше не пользуетесь.
tokens-created = Скопируйте новый токен сейчас: больше он показан не будет.
tokens-created-at = Создан
tokens-revoked = отозван
tokens-revoke = Отозвать
tokens-create = Создать токен
tokens-name-hint = Для чего он, например «синхронизация с CRM»
notifications-title = Уведомления
notifications-all = Показать все
notifications-unread = Только непрочитанные
notifications-none = Уведомлений нет.
notifications-read-all = Отметить все прочитанными
notifications-mark-read = прочитано
notification-sla-breached = Нарушен срок SLA
notification-rule = Уведомление по правилу
notification-other = Уведомление
error-token-name = Дайте токену название (до 200 символов).

author-agent = Сотрудник
author-bot = Бот
author-system = Система

bulk-title = С выбранными
bulk-assign = Назначить
bulk-status = Сменить статус
bulk-priority = Сменить приоритет
bulk-tag = Добавить метку
bulk-merge = Объединить с обращением
bulk-merge-into = Номер обращения
bulk-select-all = Выбрать все
bulk-done = { $count ->
    [one] Изменено { $count } обращение
    [few] Изменено { $count } обращения
   *[many] Изменено { $count } обращений
}

count-tickets = { $count ->
    [one] { $count } обращение
    [few] { $count } обращения
   *[many] { $count } обращений
}

customer-other-tickets = Другие обращения клиента
done-note = Заметка добавлена.
done-reply = Ответ отправлен.
done-saved = Сохранено.

error-title = Что-то пошло не так
error-generic = Запрос не удалось выполнить.
error-body = Опишите вопрос.
error-email = Введите правильный адрес почты.
error-subject = Укажите тему (до 300 символов).
error-invalid-credentials = Неверная почта или пароль.
error-link-invalid = Ссылка недействительна, уже использована или устарела. Запросите новую.
error-password-short = Пароль должен быть не короче 8 символов.
error-rate-limited = Слишком много неудачных попыток. Подождите 15 минут и попробуйте снова.
error-time-zone = Неизвестный часовой пояс. Укажите название вида Europe/Moscow.
error-csrf-failed = Форма устарела. Обновите страницу и попробуйте снова.
error-ticket-forbidden = Это обращение относится к группе, в которой вы не состоите.
error-ticket-not-found = Такого обращения нет.
error-illegal-transition = Из текущего статуса обращение нельзя перевести в выбранный.
error-ticket-closed = Обращение закрыто, изменить его нельзя.
error-invalid-field = Одно из значений неверно.
error-assignee-not-in-team = Этот сотрудник не состоит в группе обращения.
error-agent-not-found = Такого сотрудника нет.
error-team-not-found = Такой группы нет.
error-merge-requires-target = Укажите, с каким обращением объединить.
error-internal-error = Сбой на сервере; ошибка записана в журнал.
error-account-exists = Для этой почты уже есть учётная запись. Войдите или восстановите пароль.
error-admin-required = Это может сделать только администратор.
error-supervisor-required = Это могут делать только руководители и администраторы.
error-calendar-in-use = Этот календарь используют политики SLA; сначала назначьте им другой календарь.
error-attachment-too-large = Можно приложить до 10 файлов, каждый не больше 10 МБ, вместе не больше 20 МБ.
error-attachment-not-found = Такого вложения нет.
error-invalid-body = Не удалось прочитать форму. Обновите страницу и попробуйте ещё раз.
error-invalid-utf8 = Форма отправлена не в кодировке UTF-8. Обновите страницу и попробуйте ещё раз.
error-last-admin = Это последний активный администратор. Сначала назначьте администратором другого агента.
error-team-in-use = Команда ещё используется (например, почтовым ящиком). Сначала назначьте им другую команду.
field-attachments = Приложить файлы
attachments-limit = До 10 файлов, каждый до 10 МБ.

event-message-added = добавлен ответ
event-customer-wrote = клиент написал
event-note-added = добавлена внутренняя заметка
event-other = другое изменение
event-open-ticket = открыть обращение
event-ticket-created = обращение создано
event-ticket-merged = объединено с другим обращением
event-ticket-merged-from = к обращению присоединено другое
event-ticket-linked = продолжение закрытого обращения
event-ticket-escalated = передано команде { $team }
event-ticket-routed = назначено: { $agent }
event-sla-started = запущен срок SLA: { $target }, до { $due }
event-sla-paused = сроки SLA приостановлены
event-sla-resumed = { $minutes ->
    [one] сроки SLA возобновлены после паузы в { $minutes } рабочую минуту
    [few] сроки SLA возобновлены после паузы в { $minutes } рабочие минуты
   *[other] сроки SLA возобновлены после паузы в { $minutes } рабочих минут
}
event-sla-fulfilled = норматив SLA выполнен: { $target }
event-sla-fulfilled-late = норматив SLA выполнен с опозданием: { $target }
event-sla-stopped = срок SLA остановлен без выполнения: { $target }
event-sla-warning = приближается срок SLA: { $target }, до { $due }
event-sla-breached = срок SLA нарушен: { $target }, истёк { $due }
event-sla-escalated = применены действия при нарушении SLA
event-sla-recomputed = сроки SLA пересчитаны после изменения политики
event-to-team = передано команде { $team }
event-supervisors-notified = руководители уведомлены
event-trigger-fired = сработал триггер «{ $name }»
event-automation-fired = сработала автоматизация «{ $name }»
event-macro-applied = применён макрос «{ $name }»
event-rule-skipped = действие правила пропущено: { $reason }
event-notification-sent = { $count ->
    [one] уведомление отправлено { $count } сотруднику
   *[other] уведомление отправлено { $count } сотрудникам
}
event-rule-notify = уведомление по правилу
event-email-sent = ответ доставлен по почте
event-email-failed = письмо не доставлено: { $error }
event-auto-ack = отправлено автоматическое подтверждение
event-email-bounced = ответ вернулся недоставленным: { $error }
event-email-flagged = входящее письмо помечено: { $flags }
event-webhook-delivered = вебхук доставлен
event-webhook-failed = вебхук не доставлен: { $error }
event-attachment-added = приложен файл: { $name }
email-flag-automatic = автоответ
email-flag-malformed = повреждённое письмо
sla-target-first-response = первый ответ
sla-target-next-response = следующий ответ
sla-target-resolution = решение
sla-target-any = срок

field-assignee = Исполнитель
field-assignee-id = Исполнитель
field-category = Категория
field-channel = Канал
field-customer = Клиент
field-customer-id = Номер клиента
field-description = Описание
field-due = Срок
field-email = Почта
field-language = Язык
field-name = Имя
field-new-password = Новый пароль
field-organization = Организация
field-password = Пароль
field-priority = Приоритет
field-sort = Порядок
field-status = Статус
field-subject = Тема
field-tag = Метка
field-tags = Метки
field-team = Группа
field-team-id = Группа
field-time-zone = Часовой пояс
field-updated = Изменено
field-role = Роль
field-tier = Линия
field-members = Участники
field-assignment = Распределение
field-active = Активен
field-teams = Группы
field-capacity = Предел обращений
field-position = Порядок
field-definition = Определение (JSON)
field-targets = Нормативы (минуты)

filter-any = Любой

help-title = Горячие клавиши
help-assign-me = взять обращение себе
help-filter = отбор по метке
help-next-prev-row = следующее / предыдущее обращение в списке
help-next-prev-ticket = следующее / предыдущее обращение очереди
help-note = написать внутреннюю заметку
help-open = открыть выбранное обращение
help-queue = перейти к очереди
help-reply = написать ответ клиенту
help-send = отправить ответ или заметку
help-toggle = показать или скрыть подсказку

history-title = История
thread-latest-only = Здесь показаны последние 200 сообщений; все доступны через программный интерфейс.
history-latest-only = Последние 200 записей; полностью история доступна через программный интерфейс (GET /api/v1/tickets/…/events).
live-updated = Обновлено автоматически

mail-link-intro = Перейдите по ссылке (действует один час):
mail-signin-subject = Ссылка для входа
mail-reset-subject = Восстановление пароля
mail-confirm-subject = Подтвердите запрос

msg-customer = Клиент
msg-note = Внутренняя заметка
msg-reply = Ответ клиенту
delivery-sent = отправлено по почте
delivery-queued = ждёт отправки по почте
delivery-failed = не доставлено: { $error }
none = Нет

portal-close = Вопрос решён
portal-confirm-sent = Спасибо! Мы отправили вам письмо: перейдите по ссылке в нём, чтобы подтвердить адрес и открыть запрос.
portal-received-no-mail = Спасибо: ваш запрос получен, номер { $number }. Мы не смогли отправить письмо для подтверждения и ответим на указанный вами адрес.
portal-link-sent = Если этот адрес нам известен, мы отправили на него ссылку. Проверьте почту.
mail-signup-subject = Подтвердите адрес, чтобы завершить регистрацию
mail-signup-exists-subject = У вас уже есть учётная запись
mail-signup-exists-intro = Кто-то (возможно, вы) пытался зарегистрироваться с этим адресом, но у него уже есть учётная запись. Войти можно здесь:
mail-signup-exists-reset = Если вы забыли пароль, задайте новый здесь:
portal-signup-sent = Проверьте почту: мы отправили на неё ссылку. Учётная запись откроется, когда вы перейдёте по ссылке.
portal-signup-no-mail = Сейчас мы не можем отправлять письма и поэтому не можем подтвердить ваш адрес. Свяжитесь с поддержкой другим способом или попробуйте позже.
portal-link-title = Войти по ссылке из письма
portal-login-title = Вход на портал поддержки
portal-my-requests = Мои запросы
portal-new-anonymous = Отправить запрос без регистрации
portal-new-title = Новый запрос
portal-no-requests = У вас пока нет запросов.
portal-org-visible = Вы также видите запросы своей организации.
portal-password-hint = Не короче 8 символов.
portal-profile-title = Ваш профиль
portal-password-title = Сменить пароль
error-name = Укажите имя (до 200 символов).
error-current-password = Текущий пароль указан неверно.
portal-request-title = Запрос
portal-reset-title = Восстановить пароль
portal-signup-title = Регистрация
portal-support = Поддержка
portal-you = Вы
portal-your-reply = Ваш ответ

priority-low = Низкий
priority-normal = Обычный
priority-high = Высокий
priority-urgent = Срочный

status-new = Новое
status-open = Открыто
status-pending = Ждёт клиента
status-on-hold = Отложено
status-solved = Решено
status-closed = Закрыто
status-merged = Объединено

channel-email = Почта
channel-chat = Чат
channel-phone = Телефон
channel-social = Соцсети
channel-web = Сайт
channel-api = Интеграция

queue-empty = Здесь нет обращений.
reply-placeholder = Напишите клиенту или заметку для коллег
sla-title = Сроки
sla-first-response = Первый ответ
sla-next-response = Следующий ответ
sla-resolution = Решение
sort-newest = Сначала новые
sort-oldest = Сначала старые
ticket-closed = Обращение закрыто.
unassigned = Не назначено

presence-viewing = { $name } сейчас смотрит это обращение
presence-typing = { $name } пишет ответ

view-all = Все обращения
view-at-risk = Под угрозой SLA
view-mine = Мои открытые
view-pending = Ждут клиента
view-unassigned = Не назначены в моих группах
views-title = Представления

admin-title = Администрирование
admin-agents = Сотрудники
admin-teams = Группы
admin-sla = Политики SLA
admin-calendars = Календари
admin-triggers = Триггеры
admin-macros = Макросы
admin-automations = Автоматизации
admin-new-agent = Пригласить сотрудника
admin-new-team = Новая группа
admin-new-rule = Добавить
admin-invite-hint = Сотрудник входит с этим паролем и меняет его в настройках.
admin-none = Пока ничего нет.
role-admin = Администратор
role-supervisor = Руководитель
role-agent = Сотрудник
assignment-manual = Вручную
assignment-round-robin = По кругу
assignment-least-loaded = Наименее загруженному
assignment-skill = По навыкам
yes = Да
no = Нет
field-skills = Навыки
field-available = Принимает обращения
macro-title = Макрос (шаблон ответа)
help-macro = выбрать макрос (шаблон ответа)
admin-organizations = Организации
admin-customers = Клиенты
canned-title = Новый шаблон ответа
canned-text = Текст
canned-placeholders = Подстановки: {"{{"}customer.name{"}}"}, {"{{"}ticket.number{"}}"}, {"{{"}ticket.subject{"}}"}.
admin-customer-delete-hint = Клиента с обращениями удалить нельзя: он остаётся в истории.
field-phone = Телефон
error-customer-has-tickets = У этого клиента есть обращения, он остаётся в истории.
admin-tags = Метки
admin-tags-hint = Если переименовать метку в уже существующую, они объединятся. Изменение попадёт в историю каждого обращения.
admin-tag-rename = Переименовать или объединить с
admin-tag-new-name = Новое название
admin-tags-delete-confirm = Снять эту метку со всех обращений?
admin-categories = Категории
admin-categories-hint = Если переименовать категорию в уже существующую, они объединятся; при удалении категория снимается с обращений. Правила и навыки сотрудников со старым названием не меняются.
admin-categories-delete-confirm = Снять эту категорию со всех обращений?
error-ticket-category-not-found = Ни у одного обращения больше нет этой категории.
admin-delete-confirm = Удалить безвозвратно?
error-tag-not-found = Ни у одного обращения больше нет этой метки.
admin-portal-access = Доступ клиента к порталу
admin-portal-sees = Видит на портале
admin-portal-own = Только свои запросы
admin-portal-org = Также запросы своей организации
field-domain = Почтовый домен
error-customer-not-found = Клиента с такой почтой нет.

# Email: mailboxes, held mail, acknowledgements
admin-channels = Каналы
admin-channels-hint = Группа, которая получает новые заявки канала, если никто не указал другую (группа почтового ящика, группа создавшего агента). Если не задана, их получает первая группа первой линии.
admin-channels-now = Получает сейчас
admin-channels-first-line = Первая группа первой линии
admin-mailboxes = Почтовые ящики
admin-mailboxes-hint = Ответы уходят по SMTP из ящика группы; почта забирается по IMAP (оставьте адрес IMAP-сервера пустым, чтобы принимать письма через SMTP/LMTP-приёмник). Пароли не показываются: оставьте поле пароля пустым, чтобы сохранить прежний.
admin-new-mailbox = Подключить ящик
admin-held-mail = Письма, задержанные ограничением частоты
field-display-name = Отображаемое имя
field-host = Сервер
field-port = Порт
field-security = Защита
field-username = Имя пользователя
field-password-kept = (сохранён)
field-folder = Папка
field-move-to = Переносить в папку
field-move-to-hint = Когда заявка сохранена, письмо переносится в эту папку (она создаётся, если её нет). Пусто — письмо помечается прочитанным и остаётся на месте.
field-auto-ack = Подтверждать новые обращения письмом
field-sender = Отправитель
field-received = Получено
field-note = Примечание
field-ack-en = Подтверждение (английский)
field-ack-ru = Подтверждение (русский)
field-ack-placeholder = Встроенный текст. Подстановки: {"{"}name{"}"}, {"{"}number{"}"}, {"{"}subject{"}"}, {"{"}team{"}"}
action-release = Выпустить
help-canned = Вставить выбранный шаблон ответа в поле ответа
action-insert-reply = Вставить текст ответа
