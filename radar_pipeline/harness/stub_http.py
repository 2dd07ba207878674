"""A scripted loopback HTTP server: the stand-in the real ``openai``/``sendgrid`` clients talk to."""

from __future__ import annotations

import json
import threading


class ScriptedHttpServer:
    """A loopback HTTP server answering POSTs from a script (stand-in for OpenAI or SendGrid).

    ``replies`` is consumed in order; once one is left it is repeated. Each
    reply is ``(status, headers, body_bytes)``. Requests are kept in ``requests``.
    ``answer``, when given, may reply to a request by its content instead (``None``: the script's turn).
    """

    def __init__(self, replies: list[tuple[int, dict, bytes]], answer=None) -> None:
        import http.server

        self.replies = list(replies)
        self.requests: list[dict] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                outer.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                chosen = answer(outer.requests[-1]) if answer is not None else None
                status, headers, payload = chosen or (
                    outer.replies.pop(0) if len(outer.replies) > 1 else outer.replies[0]
                )
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def completion(content: str, tokens=(120, 30)) -> tuple[int, dict, bytes]:
    """An OpenAI chat-completion reply carrying ``content``, for :class:`ScriptedHttpServer`."""
    body = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "test-model",
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
        ],
        "usage": {"prompt_tokens": tokens[0], "completion_tokens": tokens[1], "total_tokens": sum(tokens)},
    }
    return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()
