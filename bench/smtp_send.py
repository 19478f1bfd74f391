#!/usr/bin/env python3
"""Sends every message of an mbox to an SMTP server over C parallel connections (one
transaction per message, connections kept open) and prints how fast they were accepted.
    smtp_send.py MBOX HOST:PORT RCPT [C=4]"""
import mailbox, smtplib, sys, threading, time

path, addr, rcpt = sys.argv[1], sys.argv[2], sys.argv[3]
conns = int(sys.argv[4]) if len(sys.argv) > 4 else 4
host, port = addr.rsplit(":", 1)
messages = [m.as_bytes() for m in mailbox.mbox(path)]
failures = []

def worker(part):
    s = smtplib.SMTP(host, int(port))
    s.ehlo("bench.example")
    for raw in part:
        try:
            s.sendmail("bench@example.org", [rcpt], raw)
        except smtplib.SMTPException as e:
            failures.append(str(e))
    s.quit()

start = time.time()
threads = [threading.Thread(target=worker, args=(messages[i::conns],)) for i in range(conns)]
for t in threads: t.start()
for t in threads: t.join()
secs = time.time() - start
print(f"accepted {len(messages) - len(failures)} of {len(messages)} messages over {conns} connections "
      f"in {secs:.1f}s: {len(messages) / secs:.0f} msg/s (each answered 250 only after it was stored)")
if failures:
    print(f"{len(failures)} refused, e.g. {failures[0]}", file=sys.stderr)
    sys.exit(1)
