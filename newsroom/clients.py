"""Who is asking: the client's address, and limits on how often one client may do something.

The client's address is ``REMOTE_ADDR``, unless ``TRUSTED_PROXY_COUNT`` proxies in front of the site each
append the address they received a request from to ``X-Forwarded-For``: then it is the address the outermost
of them saw, counted from the right, where a client cannot forge it.

Limits count a client's network rather than its address: an IPv6 address is counted by its /64, the block
one subscriber is usually given, so that a client cannot take a fresh address for every request.

Addresses and networks compared in the database (comment bans) are written as ``address_key``s, which sort
as the addresses do, IPv4 among IPv6 as IPv4-mapped addresses: a network is the range between two keys.
"""

import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address

logger = logging.getLogger(__name__)

IPV6_CLIENT_PREFIX = 64


def client_address(request):
    """The client's IP address, or None if the server or the proxies did not give a valid one."""
    address = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def client_network(address):
    """What limits count for a client address: the address itself for IPv4, its /64 for IPv6; "unknown" for None."""
    if not address:
        return "unknown"
    ip = ipaddress.ip_address(address)
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False))


def within_rate(scope, address, limit, seconds):
    """Count one more action of ``scope`` by the client at ``address``; whether it is within ``limit`` actions
    per window of ``seconds``. A ``limit`` of 0 means no limit. A failing cache lets the action through (logged):
    a limit is worth less than the page."""
    if limit <= 0:
        return True
    window = int(time.time() // seconds)
    key = f"ratelimit:{scope}:{client_network(address)}:{window}"
    try:
        cache.add(key, 0, seconds)
        return cache.incr(key) <= limit
    except ValueError:  # the count expired between the two calls: a new window
        return True
    except Exception:
        logger.exception("Could not count %s for a client in the cache; letting it through", scope)
        return True


def _as_ipv6(ip):
    """An IPv4 address as the IPv4-mapped IPv6 address (``::ffff:a.b.c.d``), so both families share one scale."""
    return ipaddress.IPv6Address(f"::ffff:{ip}") if ip.version == 4 else ip


def address_key(address):
    """An IP address as 32 hexadecimal digits, which sort as the addresses do (IPv4 as IPv4-mapped IPv6)."""
    return _as_ipv6(ipaddress.ip_address(address)).exploded.replace(":", "")


def parse_network(value):
    """An address or a network in CIDR notation (``203.0.113.0/24``, ``2001:db8::/64``) as a network; host bits are
    dropped. Raises ``ValueError`` for anything else."""
    return ipaddress.ip_network(value.strip(), strict=False)


def network_keys(network):
    """The first and last addresses of a network, as ``address_key`` writes them."""
    return address_key(network.network_address), address_key(network.broadcast_address)
