"""Where a webhook may be sent: an http(s) URL with no credentials, on any port but 0, whose every
address is public (SSRF protection; docs/architecture.md, "Webhook targets").

The host is resolved once per attempt, every address is checked, and the request connects to the
checked address itself (TLS still verifies the certificate against the host name), so a DNS answer
that changes between the check and the connection (rebinding) cannot redirect it. Redirects are
never followed, and proxies from the environment are not used.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, Timeout

DEFAULT_PORTS = {"http": 80, "https": 443}
USER_AGENT = "Mercato-Webhooks/1"
# The well-known NAT64 prefix embeds an IPv4 address a gateway would translate to.
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")
# IANA's special-purpose ranges, and the deprecated ones that still route somewhere private: listed
# here rather than left to the `ipaddress` flags alone, whose tables change between Python
# patch releases (3.11.7 calls 192.0.0.8 and fec0::1 global).
NON_PUBLIC_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/96",
        "::ffff:0:0/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
)

SCHEME_REFUSED = "Only http:// and https:// URLs are accepted."
HOST_MISSING = "The URL names no host."
CREDENTIALS_REFUSED = "The URL must not carry a user name or password."
PORT_INVALID = "The URL's port is not valid."

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTarget(Exception):
    """The URL is not one webhooks may reach; the message says why, for the API and the log."""


@dataclass(frozen=True)
class Target:
    scheme: str
    hostname: str
    port: int
    path: str
    host_header: str
    addresses: tuple[IPAddress, ...]


def embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address reaches through: mapped, 6to4 and NAT64 forms."""
    if address.version == 4:
        return []
    embedded = [address.ipv4_mapped, address.sixtofour]
    if address in NAT64_PREFIX:
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [candidate for candidate in embedded if candidate is not None]


def is_public(address: IPAddress) -> bool:
    return all(
        candidate.is_global
        and not (
            candidate.is_private
            or candidate.is_loopback
            or candidate.is_link_local
            or candidate.is_multicast
            or candidate.is_reserved
            or candidate.is_unspecified
            or any(candidate in network for network in NON_PUBLIC_NETWORKS)
        )
        for candidate in (address, *embedded_ipv4(address))
    )


def is_loopback(address: IPAddress) -> bool:
    """127.0.0.0/8 or ::1, also written as an IPv4-mapped IPv6 address."""
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def target_resolve(url: str, *, allow_private: bool, allow_loopback: bool = False) -> Target:
    """The URL's host resolved and checked; raises UnsafeTarget unless every address is public,
    or, for local development, loopback (`allow_loopback`) or anything (`allow_private`)."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS:
        raise UnsafeTarget(SCHEME_REFUSED)
    if not parts.hostname:
        raise UnsafeTarget(HOST_MISSING)
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget(CREDENTIALS_REFUSED)
    try:
        port = DEFAULT_PORTS[parts.scheme] if parts.port is None else parts.port
    except ValueError:
        raise UnsafeTarget(PORT_INVALID) from None
    if port == 0:
        raise UnsafeTarget(PORT_INVALID)
    addresses = resolve(parts.hostname, port)
    if not allow_private:
        for address in addresses:
            if not is_public(address) and not (allow_loopback and is_loopback(address)):
                raise UnsafeTarget(refusal(parts.hostname, address))
    return Target(
        scheme=parts.scheme,
        hostname=parts.hostname,
        port=port,
        path=(parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
        host_header=parts.netloc,
        addresses=addresses,
    )


def refusal(hostname: str, address: IPAddress) -> str:
    if literal(hostname) == address:
        return f"{hostname} is not a public address."
    return f"{hostname} resolves to {address}, which is not a public address."


def literal(hostname: str) -> IPAddress | None:
    """The address `hostname` writes out in standard notation, if it is one."""
    try:
        return ipaddress.ip_address(hostname)
    except ValueError:
        return None


def resolve(hostname: str, port: int) -> tuple[IPAddress, ...]:
    try:
        answers = socket.getaddrinfo(hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeTarget(f"The host {hostname} does not resolve.") from None
    # A link-local IPv6 answer carries its zone (`fe80::1%eth0`), which ipaddress does not parse.
    found = [ipaddress.ip_address(str(answer[4][0]).partition("%")[0]) for answer in answers]
    return tuple(dict.fromkeys(found))


def target_post(*, target: Target, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POSTs `body` to the target's first checked address and returns the response status;
    raises urllib3's errors (or OSError) when no answer came."""
    pool: HTTPConnectionPool
    if target.scheme == "https":
        pool = HTTPSConnectionPool(
            str(target.addresses[0]),
            target.port,
            server_hostname=target.hostname,
            assert_hostname=target.hostname,
            ca_certs=certifi.where(),
            timeout=Timeout(connect=timeout, read=timeout),
            retries=False,
            maxsize=1,
        )
    else:
        pool = HTTPConnectionPool(
            str(target.addresses[0]),
            target.port,
            timeout=Timeout(connect=timeout, read=timeout),
            retries=False,
            maxsize=1,
        )
    with pool:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "host": target.host_header, "user-agent": USER_AGENT},
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
        )
        response.drain_conn()
        return response.status
