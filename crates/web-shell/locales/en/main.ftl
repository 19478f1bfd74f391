# Ferrodesk — English

nav-tickets = Tickets
nav-admin = Admin
nav-settings = Settings
nav-shortcuts = Shortcuts
nav-sign-out = Sign out

action-apply = Apply
action-assign-me = Assign to me
action-back = Back
action-close = Close
action-filter = Filter
action-more = More tickets
action-next-page = Next page
action-save = Save
action-send = Send
action-send-link = Send me a link
action-sign-in = Sign in
action-sign-up = Create account
action-submit = Submit request
action-create = Create
action-deactivate = Deactivate
action-reactivate = Reactivate
action-delete = Delete

login-title = Sign in to Ferrodesk
login-customer-hint = Are you a customer? Go to the help portal.
settings-title = Your settings
tokens-title = API tokens
tokens-hint = A token acts as you in the API (Authorization: Bearer …). Revoke the ones you no longer use.
tokens-created = Copy the new token now: it is not shown again.
tokens-created-at = Created
tokens-revoked = revoked
tokens-revoke = Revoke
tokens-create = Create token
tokens-name-hint = What it is for, e.g. "CRM sync"
notifications-title = Notifications
notifications-all = Show all
notifications-unread = Show unread only
notifications-none = No notifications.
notifications-read-all = Mark all read
notifications-mark-read = mark read
notification-sla-breached = SLA deadline missed
notification-rule = Rule notification
notification-other = Notification
error-token-name = Give the token a name (up to 200 characters).

author-agent = Agent
author-bot = Bot
author-system = System

bulk-title = With selected
bulk-assign = Assign to
bulk-status = Set status
bulk-priority = Set priority
bulk-tag = Add tag
bulk-merge = Merge into ticket
bulk-merge-into = Ticket number
bulk-select-all = Select all
bulk-done = { $count ->
    [one] { $count } ticket changed
   *[other] { $count } tickets changed
}

count-tickets = { $count ->
    [one] { $count } ticket
   *[other] { $count } tickets
}

customer-other-tickets = Other tickets of this customer
done-note = Note added.
done-reply = Reply sent.
done-saved = Saved.

error-title = Something went wrong
error-generic = The request could not be completed.
error-body = Write a description.
error-email = Enter a valid email address.
error-subject = Write a subject (up to 300 characters).
error-invalid-credentials = The email or the password is wrong.
error-link-invalid = This link is invalid, used or expired. Ask for a new one.
error-password-short = The password must have at least 8 characters.
error-rate-limited = Too many failed attempts. Wait 15 minutes and try again.
error-time-zone = Unknown time zone. Use a name like Europe/Moscow.
error-csrf-failed = The form has expired. Reload the page and try again.
error-ticket-forbidden = This ticket belongs to a team you are not in.
error-ticket-not-found = There is no such ticket.
error-illegal-transition = The ticket cannot move to that status from its current one.
error-ticket-closed = The ticket is closed and takes no further changes.
error-invalid-field = Some value is not valid.
error-assignee-not-in-team = That agent is not a member of the ticket's team.
error-agent-not-found = There is no such agent.
error-team-not-found = There is no such team.
error-merge-requires-target = Say which ticket to merge into.
error-internal-error = The server failed; the error has been logged.
error-account-exists = This email already has an account. Sign in or reset the password.
error-admin-required = Only admins may do this.
error-supervisor-required = Only supervisors and admins may do this.
error-calendar-in-use = SLA policies use this calendar; give them another calendar first.
error-attachment-too-large = Attachments are limited to 10 files of at most 10 MB each, 20 MB together.
error-attachment-not-found = There is no such attachment.
error-invalid-body = The form could not be read. Reload the page and try again.
error-invalid-utf8 = The form was not sent as UTF-8 text. Reload the page and try again.
error-last-admin = This is the last active admin. Make another agent an admin first.
error-team-in-use = The team is still in use (for example by a mailbox). Give those another team first.
field-attachments = Attach files
attachments-limit = Up to 10 files, 10 MB each.

event-message-added = reply added
event-customer-wrote = the customer wrote
event-note-added = internal note added
event-other = other change
event-open-ticket = open the ticket
event-ticket-created = ticket created
event-ticket-merged = merged into another ticket
event-ticket-merged-from = another ticket merged into this one
event-ticket-linked = follow-up of a closed ticket
event-ticket-escalated = escalated to team { $team }
event-ticket-routed = routed to { $agent }
event-sla-started = SLA clock started: { $target }, due { $due }
event-sla-paused = SLA clocks paused
event-sla-resumed = { $minutes ->
    [one] SLA clocks resumed after { $minutes } business minute paused
   *[other] SLA clocks resumed after { $minutes } business minutes paused
}
event-sla-fulfilled = SLA target met: { $target }
event-sla-fulfilled-late = SLA target met late: { $target }
event-sla-stopped = SLA clock stopped without being met: { $target }
event-sla-warning = SLA deadline approaching: { $target }, due { $due }
event-sla-breached = SLA deadline missed: { $target }, was due { $due }
event-sla-escalated = SLA breach actions applied
event-sla-recomputed = SLA deadlines recomputed after a policy change
event-to-team = moved to team { $team }
event-supervisors-notified = supervisors notified
event-trigger-fired = trigger “{ $name }” applied
event-automation-fired = automation “{ $name }” applied
event-macro-applied = macro “{ $name }” applied
event-rule-skipped = a rule action was skipped: { $reason }
event-notification-sent = { $count ->
    [one] notification sent to { $count } agent
   *[other] notification sent to { $count } agents
}
event-rule-notify = rule notification
event-email-sent = reply delivered by email
event-email-failed = email delivery failed: { $error }
event-auto-ack = automatic acknowledgement sent
event-email-bounced = reply bounced: { $error }
event-email-flagged = incoming email flagged: { $flags }
event-webhook-delivered = webhook delivered
event-webhook-failed = webhook failed: { $error }
event-attachment-added = file attached: { $name }
email-flag-automatic = automatic reply
email-flag-malformed = malformed message
sla-target-first-response = first response
sla-target-next-response = next response
sla-target-resolution = resolution
sla-target-any = deadline

field-assignee = Assignee
field-assignee-id = Assignee
field-category = Category
field-channel = Channel
field-customer = Customer
field-customer-id = Customer no.
field-description = Description
field-due = Due
field-email = Email
field-language = Language
field-name = Name
field-new-password = New password
field-organization = Organisation
field-password = Password
field-priority = Priority
field-sort = Sort
field-status = Status
field-subject = Subject
field-tag = Tag
field-tags = Tags
field-team = Team
field-team-id = Team
field-time-zone = Time zone
field-updated = Updated
field-role = Role
field-tier = Line
field-members = Members
field-assignment = Assignment
field-active = Active
field-teams = Teams
field-capacity = Capacity
field-position = Position
field-definition = Definition (JSON)
field-targets = Targets (minutes)

filter-any = Any

help-title = Keyboard shortcuts
help-assign-me = assign the ticket to me
help-filter = filter by tag
help-next-prev-row = next / previous ticket in the list
help-next-prev-ticket = next / previous ticket of the queue
help-note = write an internal note
help-open = open the selected ticket
help-queue = go to the queue
help-reply = write a public reply
help-send = send the reply or note
help-toggle = show or hide this help

history-title = History
thread-latest-only = Earlier messages are not shown here: the latest 200 are. The API lists them all.
history-latest-only = The latest 200 entries; the API lists them all (GET /api/v1/tickets/…/events).
live-updated = Updated live

mail-link-intro = Follow this link (valid for one hour):
mail-signin-subject = Your sign-in link
mail-reset-subject = Reset your password
mail-confirm-subject = Confirm your request

msg-customer = Customer
msg-note = Internal note
msg-reply = Public reply
delivery-sent = sent by email
delivery-queued = waiting to be sent by email
delivery-failed = not delivered: { $error }
none = None

portal-close = Mark as solved
portal-confirm-sent = Thank you! We sent you an email: follow the link in it to confirm your address and open the request.
portal-received-no-mail = Thank you: we have your request, number { $number }. We could not send you a confirmation email, so we will answer at the address you gave.
portal-link-sent = If the address is known to us, we sent a link to it. Check your email.
mail-signup-subject = Confirm your address to finish signing up
mail-signup-exists-subject = You already have an account
mail-signup-exists-intro = Someone (perhaps you) tried to sign up with this address, which already has an account. Sign in here:
mail-signup-exists-reset = If you forgot your password, set a new one here:
portal-signup-sent = Check your email: we sent a link to it. Your account opens when you follow the link.
portal-signup-no-mail = We cannot send email right now, so we cannot confirm your address. Please contact support another way, or try again later.
portal-link-title = Email me a sign-in link
portal-login-title = Sign in to the help portal
portal-my-requests = My requests
portal-new-anonymous = Submit a request without an account
portal-new-title = Submit a request
portal-no-requests = You have no requests yet.
portal-org-visible = You also see the requests of your organisation.
portal-password-hint = At least 8 characters.
portal-profile-title = Your profile
portal-password-title = Change the password
error-name = Write a name (up to 200 characters).
error-current-password = The current password is wrong.
portal-request-title = Request
portal-reset-title = Reset the password
portal-signup-title = Create an account
portal-support = Support
portal-you = You
portal-your-reply = Your reply

priority-low = Low
priority-normal = Normal
priority-high = High
priority-urgent = Urgent

status-new = New
status-open = Open
status-pending = Pending
status-on-hold = On hold
status-solved = Solved
status-closed = Closed
status-merged = Merged

channel-email = Email
channel-chat = Chat
channel-phone = Phone
channel-social = Social
channel-web = Web
channel-api = API

queue-empty = No tickets here.
reply-placeholder = Write to the customer, or a note for colleagues
sla-title = Deadlines
sla-first-response = First response
sla-next-response = Next response
sla-resolution = Resolution
sort-newest = Newest first
sort-oldest = Oldest first
ticket-closed = This ticket is closed.
unassigned = Unassigned

presence-viewing = { $name } is viewing this ticket
presence-typing = { $name } is typing a reply

view-all = All tickets
view-at-risk = SLA at risk
view-mine = My open tickets
view-pending = Pending
view-unassigned = Unassigned in my teams
views-title = Views

admin-title = Administration
admin-agents = Agents
admin-teams = Teams
admin-sla = SLA policies
admin-calendars = Calendars
admin-triggers = Triggers
admin-macros = Macros
admin-automations = Automations
admin-new-agent = Invite an agent
admin-new-team = New team
admin-new-rule = Add
admin-invite-hint = The agent signs in with this password and changes it in their settings.
admin-none = Nothing here yet.
role-admin = Admin
role-supervisor = Supervisor
role-agent = Agent
assignment-manual = Manual
assignment-round-robin = Round robin
assignment-least-loaded = Least loaded
assignment-skill = By skill
yes = Yes
no = No
field-skills = Skills
field-available = Available
macro-title = Macro (canned response)
help-macro = choose a macro (canned response)
admin-organizations = Organisations
admin-customers = Customers
canned-title = New canned response
canned-text = Text
canned-placeholders = Placeholders: {"{{"}customer.name{"}}"}, {"{{"}ticket.number{"}}"}, {"{{"}ticket.subject{"}}"}.
admin-customer-delete-hint = A customer with tickets is kept for the record and cannot be deleted.
field-phone = Phone
error-customer-has-tickets = This customer has tickets and is kept for the record.
admin-tags = Tags
admin-tags-hint = Renaming a tag onto one that exists merges the two. Every ticket's history records the change.
admin-tag-rename = Rename or merge into
admin-tag-new-name = New name
admin-tags-delete-confirm = Remove this tag from every ticket?
admin-categories = Categories
admin-categories-hint = Renaming a category onto one that exists merges the two; deleting one clears it on its tickets. Rules and agents' skills that name the old category are not changed.
admin-categories-delete-confirm = Clear this category on every ticket?
error-ticket-category-not-found = No ticket has this category any more.
admin-delete-confirm = Delete this for good?
error-tag-not-found = No ticket has this tag any more.
admin-portal-access = Portal access of a customer
admin-portal-sees = Sees in the portal
admin-portal-own = Only their own requests
admin-portal-org = Also their organisation's requests
field-domain = Mail domain
error-customer-not-found = There is no customer with that email.

# Email: mailboxes, held mail, acknowledgements
admin-channels = Channels
admin-channels-hint = The team that gets a channel's new tickets when nothing else names one (a mailbox's team, the team of the agent who creates it). Unset, the first line-1 team gets them.
admin-channels-now = Gets them now
admin-channels-first-line = First line-1 team
admin-mailboxes = Mailboxes
admin-mailboxes-hint = Replies go out by SMTP from the team's mailbox; mail is fetched by IMAP (leave the IMAP host empty to receive through the SMTP/LMTP listener instead). Passwords are never shown: leave a password field empty to keep it.
admin-new-mailbox = Connect a mailbox
admin-held-mail = Mail held by the rate limit
field-display-name = Display name
field-host = Host
field-port = Port
field-security = Security
field-username = User name
field-password-kept = (kept)
field-folder = Folder
field-move-to = Move to folder
field-move-to-hint = Once its ticket is saved, a message is moved to this folder (created if missing). Empty: it is marked read and stays.
field-auto-ack = Acknowledge new requests by email
field-sender = Sender
field-received = Received at
field-note = Note
field-ack-en = Acknowledgement (English)
field-ack-ru = Acknowledgement (Russian)
field-ack-placeholder = Built-in text. Placeholders: {"{"}name{"}"}, {"{"}number{"}"}, {"{"}subject{"}"}, {"{"}team{"}"}
action-release = Release
help-canned = Insert the selected canned response into the reply
action-insert-reply = Insert reply text
