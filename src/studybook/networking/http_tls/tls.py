"""A TLS 1.3 handshake on loopback with Python's ``ssl``, against a CA made on the spot.

:func:`make_ca` creates a throwaway root certificate authority and
:func:`issue_certificate` a server certificate for a host name (in the
subjectAltName, which is what clients check: RFC 6125 §6.4.4, and the CA/B
Forum rules forbid relying on the Common Name). :func:`handshake` runs a real
TLS server and client over a loopback socket, the client trusting only the
throwaway root, and reports what was negotiated. Verification failures come
back as the same :class:`ssl.SSLCertVerificationError` a reader meets in
production: unknown CA, wrong host name, expired certificate.

Keys are ECDSA P-256: generating one takes well under a millisecond, where a
2048-bit RSA key takes tens of milliseconds.

>>> ca = make_ca()
>>> result = handshake(issue_certificate(ca, "localhost"), ca.cert_pem, "localhost")
>>> result.version
'TLSv1.3'
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studybook._validate import check_int, check_str

__all__ = ["Credential", "Handshake", "handshake", "issue_certificate", "make_ca"]


@dataclass(frozen=True)
class Credential:
    """A certificate and its private key, both PEM."""

    cert_pem: bytes
    key_pem: bytes


@dataclass(frozen=True)
class Handshake:
    """What the client saw: protocol version, cipher suite and the verified chain."""

    version: str
    cipher: str
    chain: tuple[str, ...]


def _now(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return dt.datetime.now(dt.UTC)
    if not isinstance(now, dt.datetime) or now.tzinfo is None:
        raise TypeError(f"now must be a timezone-aware datetime, got {now!r}")
    return now


def make_ca(
    common_name: str = "studybook test root", *, now: dt.datetime | None = None, days: int = 30
) -> Credential:
    """A self-signed root CA (``basicConstraints CA:TRUE``, may sign certificates).

    Args:
        common_name: the CA's name, shown as the issuer of what it signs.
        now: the start of validity (default: the current UTC time).
        days: how long it is valid.

    >>> make_ca(days=0)
    Traceback (most recent call last):
        ...
    ValueError: days must be >= 1, got 0

    Complexity: one key generation and one signature.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    check_str(common_name, "common_name", nonempty=True)
    check_int(days, "days", minimum=1)
    start = _now(now)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start - dt.timedelta(minutes=5))
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Credential(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def _key_pem(key: Any) -> bytes:  # an ec.EllipticCurvePrivateKey (cryptography, imported lazily)
    from cryptography.hazmat.primitives import serialization

    pem: bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem


def issue_certificate(
    ca: Credential,
    hostname: str = "localhost",
    *,
    now: dt.datetime | None = None,
    not_before_days: int = 0,
    valid_days: int = 7,
) -> Credential:
    """A server certificate for ``hostname`` (in the SAN), signed by ``ca``.

    Validity runs from ``now - not_before_days`` for ``valid_days`` days, so
    an expired certificate is ``not_before_days=10, valid_days=1``.

    >>> issue_certificate(make_ca(), "")
    Traceback (most recent call last):
        ...
    ValueError: hostname must be a non-empty str, got ''

    Complexity: one key generation and one signature.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    if not isinstance(ca, Credential):
        raise TypeError(f"ca must be a Credential, got {ca!r}")
    check_str(hostname, "hostname", nonempty=True)
    check_int(not_before_days, "not_before_days", minimum=0)
    check_int(valid_days, "valid_days", minimum=1)
    start = _now(now) - dt.timedelta(days=not_before_days)
    ca_cert = x509.load_pem_x509_certificate(ca.cert_pem)
    ca_key = serialization.load_pem_private_key(ca.key_pem, password=None)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
        raise TypeError(f"ca key must be an EC key, got {type(ca_key).__name__}")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start - dt.timedelta(minutes=5))
        .not_valid_after(start + dt.timedelta(days=valid_days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return Credential(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def handshake(
    server: Credential, trusted_ca_pem: bytes, server_hostname: str, *, timeout: float = 5.0
) -> Handshake:
    """Run a TLS 1.3 handshake over loopback and return what the client negotiated.

    The server presents ``server``; the client trusts only ``trusted_ca_pem``
    and checks the certificate against ``server_hostname``.

    Raises:
        ssl.SSLCertVerificationError: the client rejected the certificate
            (``verify_message`` says why).

    >>> ca = make_ca()
    >>> handshake(issue_certificate(make_ca("someone else")), ca.cert_pem, "localhost")
    Traceback (most recent call last):
        ...
    ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed:
        unable to get local issuer certificate (_ssl.c:...)

    Complexity: one handshake: 1 round trip, a few signatures and one ECDHE.
    """
    if not isinstance(server, Credential):
        raise TypeError(f"server must be a Credential, got {server!r}")
    if not isinstance(trusted_ca_pem, bytes):
        raise TypeError(f"trusted_ca_pem must be PEM bytes, got {trusted_ca_pem!r}")
    check_str(server_hostname, "server_hostname", nonempty=True)
    client_ctx = ssl.create_default_context(cadata=trusted_ca_pem.decode("ascii"))
    client_ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    with tempfile.TemporaryDirectory() as tmp:
        cert_file, key_file = Path(tmp) / "cert.pem", Path(tmp) / "key.pem"
        cert_file.write_bytes(server.cert_pem)
        key_file.write_bytes(server.key_pem)
        server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        server_ctx.load_cert_chain(cert_file, key_file)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(timeout)
        thread = threading.Thread(target=_serve_one, args=(listener, server_ctx), daemon=True)
        thread.start()
        try:
            with (
                socket.create_connection(listener.getsockname()[:2], timeout=timeout) as raw,
                client_ctx.wrap_socket(raw, server_hostname=server_hostname) as tls,
            ):
                version, cipher = tls.version() or "", (tls.cipher() or ("", "", 0))[0]
                peer = tls.getpeercert() or {}
                tls.sendall(b"ping")
                tls.recv(4)
        finally:
            thread.join(timeout)
    return Handshake(version, cipher, _describe_chain(peer, client_ctx.get_ca_certs()))


def _serve_one(listener: socket.socket, ctx: ssl.SSLContext) -> None:
    try:
        conn, _ = listener.accept()
        with ctx.wrap_socket(conn, server_side=True) as tls:
            tls.sendall(tls.recv(4))
    except (OSError, ssl.SSLError):
        return  # the client refused us; the client side reports why


def _describe_chain(
    peer: Mapping[str, object], roots: Sequence[Mapping[str, object]]
) -> tuple[str, ...]:
    def common_name(name: object) -> str:
        for rdn in name if isinstance(name, tuple) else ():
            for key, value in rdn:
                if key == "commonName":
                    return str(value)
        return "?"

    issuer = common_name(peer.get("issuer"))
    san = ", ".join(f"{kind}:{value}" for kind, value in peer.get("subjectAltName", ()))  # type: ignore[attr-defined]
    chain = [f"{common_name(peer.get('subject'))} [{san}] issued by {issuer}"]
    chain += [
        f"{issuer} (trusted root, self-signed)"
        for root in roots
        if common_name(root.get("subject")) == issuer
    ]
    return tuple(chain)
