#!/usr/bin/env bash
# A private, throw-away mail system on 127.0.0.1 for the email tests: Dovecot (IMAP, LMTP) and
# Postfix (SMTP) delivering to Dovecot over LMTP — the chain a real support mailbox sits behind.
#
#   scripts/mailserver.sh start [DIR]   install (apt) if missing, configure under DIR, start
#   scripts/mailserver.sh stop  [DIR]
#
# Ports: IMAP 10143 (plain, and STARTTLS), IMAPS 10993, Postfix SMTP 10025, Dovecot LMTP 10024.
# TLS uses a certificate for 127.0.0.1 signed by a throw-away CA (DIR/tls/ca.pem), so tests can
# connect with verification on by trusting that CA. Users (password = "secret"):
# support@, customer@, bulk@ and moved@example.test. Mail for the domain
# direct.example.test is relayed by Postfix over LMTP to 127.0.0.1:10026, where a test runs
# Ferrodesk's own listener. Prints the environment the tests read (FERRODESK_TEST_MAIL=…).
set -euo pipefail

cmd=${1:-start}
DIR=${2:-${FERRODESK_MAIL_DIR:-/tmp/ferrodesk-mailserver}}
IMAP_PORT=10143
IMAPS_PORT=10993
SMTP_PORT=10025
LMTP_PORT=10024
LISTENER_PORT=10026

need() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]; }

install_packages() {
  if need /usr/sbin/dovecot && need /usr/sbin/postfix && [ -x /usr/lib/dovecot/lmtp ] && need openssl; then return; fi
  echo "installing dovecot-imapd dovecot-lmtpd postfix openssl (apt)" >&2
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get install -y --no-install-recommends dovecot-imapd dovecot-lmtpd postfix openssl >/dev/null \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends dovecot-imapd dovecot-lmtpd postfix openssl >/dev/null; }
}

stop() {
  if [ -f "$DIR/dovecot/dovecot.conf" ]; then
    doveadm -c "$DIR/dovecot/dovecot.conf" stop 2>/dev/null || true
  fi
  if [ -f "$DIR/postfix/main.cf" ]; then
    postfix -c "$DIR/postfix" stop 2>/dev/null || true
  fi
}

start() {
  install_packages
  stop
  rm -rf "$DIR"
  mkdir -p "$DIR/dovecot/run" "$DIR/mail" "$DIR/postfix"
  chmod 755 "$DIR"

  # A CA of our own and a server certificate for 127.0.0.1 it signs (valid 30 days).
  local tls="$DIR/tls"
  mkdir -p "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tls/ca.key" -out "$tls/ca.pem" -days 30 \
    -subj "/CN=Ferrodesk test CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -keyout "$tls/server.key" -out "$tls/server.csr" \
    -subj "/CN=127.0.0.1" >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >"$tls/server.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
    -out "$tls/server.pem" -days 30 -extfile "$tls/server.ext" >/dev/null 2>&1
  openssl dhparam -dsaparam -out "$tls/dh.pem" 2048 >/dev/null 2>&1
  chmod 644 "$tls"/*.pem
  chmod 640 "$tls/server.key" "$tls/ca.key"
  chgrp dovecot "$tls/server.key" 2>/dev/null || true

  # Dovecot: plaintext auth on loopback only, a passwd-file of three users, Maildir storage.
  local pw
  pw=$(doveadm pw -s SHA512-CRYPT -p secret)
  for u in support customer bulk moved tls starttls wrongname; do
    echo "$u@example.test:$pw:$(id -u dovecot):$(id -g dovecot)::$DIR/mail/$u::" >>"$DIR/dovecot/users"
  done
  chown -R dovecot:dovecot "$DIR/mail"
  cat >"$DIR/dovecot/dovecot.conf" <<EOF
protocols = imap lmtp
listen = 127.0.0.1
base_dir = $DIR/dovecot/run
state_dir = $DIR/dovecot/state
log_path = $DIR/dovecot/dovecot.log
ssl = yes
ssl_cert = <$tls/server.pem
ssl_key = <$tls/server.key
ssl_dh = <$tls/dh.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT $DIR/dovecot/users
}
userdb {
  driver = passwd-file
  args = $DIR/dovecot/users
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
protocol lmtp {
  postmaster_address = postmaster@example.test
}
mail_max_userip_connections = 50
# A throw-away test instance: no fsync per delivered or appended message.
mail_fsync = never
EOF
  mkdir -p "$DIR/dovecot/state"
  dovecot -c "$DIR/dovecot/dovecot.conf" </dev/null >/dev/null 2>&1

  # Postfix: its own config and queue directories, SMTP on loopback, everything for
  # example.test handed to Dovecot over LMTP, direct.example.test to Ferrodesk's listener.
  local pf="$DIR/postfix"
  cp /etc/postfix/master.cf.proto "$pf/master.cf" 2>/dev/null || cp /usr/share/postfix/master.cf.dist "$pf/master.cf"
  sed -i "s/^smtp      inet  n       -       y       -       -       smtpd/127.0.0.1:$SMTP_PORT inet n - n - - smtpd/" "$pf/master.cf"
  grep -q "^127.0.0.1:$SMTP_PORT" "$pf/master.cf" || { echo "FAIL: could not set the SMTP port in master.cf" >&2; exit 1; }
  echo "direct.example.test lmtp:inet:127.0.0.1:$LISTENER_PORT" >"$pf/transport"
  cat >"$pf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mail.example.test
mydomain = example.test
myorigin = example.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
virtual_mailbox_domains = example.test
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
relay_domains = direct.example.test
transport_maps = texthash:$pf/transport
maillog_file = $pf/postfix.log
maillog_file_prefixes = $DIR
smtputf8_enable = no
message_size_limit = 52428800
queue_run_delay = 2s
minimal_backoff_time = 2s
maximal_backoff_time = 5s
smtp_host_lookup = native
lmtp_host_lookup = native
disable_dns_lookups = yes
EOF
  mkdir -p "$pf/queue" "$pf/data"
  chown postfix "$pf/data"
  postfix -c "$pf" set-permissions >/dev/null 2>&1 || true
  postfix -c "$pf" check || { script -qc "postfix -c $pf check" /dev/null >&2; exit 1; }
  postfix -c "$pf" start >/dev/null 2>&1

  for _ in $(seq 1 50); do
    if (exec 3<>/dev/tcp/127.0.0.1/$IMAP_PORT) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/$IMAPS_PORT) 2>/dev/null \
      && (exec 3<>/dev/tcp/127.0.0.1/$SMTP_PORT) 2>/dev/null; then
      echo "FERRODESK_TEST_MAIL=imap=127.0.0.1:$IMAP_PORT,imaps=127.0.0.1:$IMAPS_PORT,ca=$tls/ca.pem,smtp=127.0.0.1:$SMTP_PORT,listener=127.0.0.1:$LISTENER_PORT,dir=$DIR"
      return
    fi
    sleep 0.2
  done
  echo "FAIL: the mail servers did not start; logs:" >&2
  cat "$DIR/dovecot/dovecot.log" "$pf/postfix.log" >&2 2>/dev/null || true
  exit 1
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
