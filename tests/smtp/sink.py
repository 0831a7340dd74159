"""A real SMTP server for the test suite: aiosmtpd on 127.0.0.1:PORT, writing every message it
receives into DIR as NNNN.eml (the raw bytes) and NNNN.json (envelope, headers and both parts,
parsed by Python's email package). Prints "ready" once it accepts connections.

    python sink.py PORT DIR
"""

import asyncio
import email
import email.policy
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = {}
        for part in message.walk():
            if part.get_content_maintype() == "multipart":
                continue
            parts.setdefault(part.get_content_type(), part.get_content())
        parsed = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {key.lower(): str(value) for key, value in message.items()},
            "content_type": message.get_content_type(),
            "text": parts.get("text/plain"),
            "html": parts.get("text/html"),
        }
        with self.lock:
            self.count += 1
            name = f"{self.count:04d}"
        with open(os.path.join(self.directory, name + ".eml"), "wb") as f:
            f.write(raw)
        # Written under a temporary name, then renamed: a reader never sees half a file.
        tmp = os.path.join(self.directory, name + ".json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(parsed, f)
        os.replace(tmp, os.path.join(self.directory, name + ".json"))
        return "250 Message accepted for delivery"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
