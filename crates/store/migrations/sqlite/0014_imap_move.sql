-- Where the IMAP poller moves a message once its ticket is committed (NULL: it is flagged \Seen and stays).
ALTER TABLE mailboxes ADD COLUMN imap_move_to TEXT;
