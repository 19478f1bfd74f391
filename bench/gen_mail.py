#!/usr/bin/env python3
"""Writes N realistic support emails as an mbox for the ingest benchmark: a mix of sizes, plain
and HTML, multipart with attachments, Russian and English, and replies that thread by
In-Reply-To and by the [#NUMBER] tag. Deterministic (seeded)."""
import base64, random, sys
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
out = sys.argv[2] if len(sys.argv) > 2 else "bench/.data/mail.mbox"
rnd = random.Random(42)
subjects = ["Cannot log in", "Invoice question", "Order delayed", "App crashes on start", "Refund request",
            "Не приходит письмо", "Ошибка оплаты", "Вопрос по счёту", "Доставка задерживается", "Не работает приложение"]
lines = ["Hello, I have a problem with my account since yesterday.", "Please see the attached screenshot.",
         "Здравствуйте! Подскажите, пожалуйста, что делать.", "Заказ оплачен, но статус не меняется.",
         "Thanks in advance for your help.", "Best regards,"]
start = datetime(2026, 11, 1, tzinfo=timezone.utc)
sent = []  # (message_id, subject)
with open(out, "w", encoding="utf-8", newline="") as f:
    for i in range(n):
        sender = f"customer{rnd.randrange(2000)}@example.{rnd.choice(['com', 'ru', 'org'])}"
        date = format_datetime(start + timedelta(seconds=i * 37))
        mid = f"<bench{i}@mail.example.com>"
        headers = [f"From: Customer <{sender}>", "To: support@example.com", f"Date: {date}", f"Message-ID: {mid}", "MIME-Version: 1.0"]
        kind = rnd.random()
        if sent and kind < 0.3:  # a reply that threads by In-Reply-To
            parent, subject = rnd.choice(sent[-500:])
            headers += [f"Subject: Re: {subject}", f"In-Reply-To: {parent}", f"References: {parent}"]
        else:
            subject = rnd.choice(subjects) + f" #{i}"
            headers.append(f"Subject: {subject}")
        body = "\r\n".join(rnd.choice(lines) for _ in range(rnd.randrange(2, 40)))
        style = rnd.random()
        if style < 0.5:
            headers.append("Content-Type: text/plain; charset=utf-8")
            msg = "\r\n".join(headers) + "\r\n\r\n" + body + "\r\n"
        elif style < 0.8:
            html = "<html><body><p>" + body.replace("\r\n", "</p><p>") + "</p></body></html>"
            headers.append('Content-Type: multipart/alternative; boundary="alt"')
            msg = "\r\n".join(headers) + "\r\n\r\n--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + \
                  "\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n--alt--\r\n"
        else:
            size = rnd.choice([2_000, 20_000, 100_000])
            data = base64.encodebytes(rnd.randbytes(size)).decode().replace("\n", "\r\n")
            headers.append('Content-Type: multipart/mixed; boundary="mix"')
            msg = "\r\n".join(headers) + "\r\n\r\n--mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + \
                  f"\r\n--mix\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"screenshot-{i}.png\"\r\n" \
                  "Content-Transfer-Encoding: base64\r\n\r\n" + data + "--mix--\r\n"
        sent.append((mid, subject))
        f.write(f"From {sender} Mon Nov 23 10:00:00 2026\r\n")
        f.write(msg.replace("\r\nFrom ", "\r\n>From "))
        f.write("\r\n")
print(f"wrote {n} messages to {out}", file=sys.stderr)
