"""Certificates for serving the fake API over HTTPS, made fresh by ``trustme``.

The client trusts the test CA the way a user behind a company proxy trusts theirs: through
``SSL_CERT_FILE``, which OpenSSL's default verify paths (and so aiohttp) read.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import trustme


def server_context(directory: Path) -> tuple[ssl.SSLContext, Path]:
    """A TLS server context for 127.0.0.1/localhost, and the CA file a client must trust
    (written into ``directory``)."""
    ca = trustme.CA()
    certificate = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    directory.mkdir(parents=True, exist_ok=True)
    ca_file = directory / "hnterm-test-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return context, ca_file
