"""ARP against the Linux kernel: decode the request it sends, and have it answer ours.

Runs in a private network namespace (``unshare --net``) holding one veth pair,
so nothing touches the host's interfaces; skipped without root unless CI is set.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from studybook.networking.switching import (
    ARP_ETHERTYPE,
    BROADCAST,
    arp_reply,
    arp_request,
    decode_arp,
    decode_frame,
)

# Run inside the namespace: veth swa (192.0.2.1/24) <-> swb (no address).
# It prints, as JSON, swa's MAC, the ARP request the kernel sent for
# 192.0.2.2, and the kernel's answer to the request this test encoded.
SCRIPT = r"""
import json, socket, subprocess, sys
from studybook.networking.switching import *

def sh(*args):
    subprocess.run(args, check=True, capture_output=True)

sh("ip", "link", "add", "name", "swa", "type", "veth", "peer", "name", "swb")
sh("ip", "addr", "add", "192.0.2.1/24", "dev", "swa")
for dev in ("lo", "swa", "swb"):
    sh("ip", "link", "set", dev, "up")
out = subprocess.run(["ip", "-j", "link", "show", "swa"], capture_output=True, check=True)
mac = json.loads(out.stdout)[0]["address"]
cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ARP_ETHERTYPE))
cap.bind(("swb", 0))
cap.settimeout(5)

def next_incoming():
    while True:
        data, addr = cap.recvfrom(2048)
        if addr[2] != socket.PACKET_OUTGOING:
            return data.hex()

udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.sendto(b"x", ("192.0.2.2", 9))  # nobody has .2: the kernel must ARP for it
kernel_request = next_incoming()
ours = arp_request("00:00:5e:00:53:02", "192.0.2.2", "192.0.2.1")
cap.send(encode_frame(ours.frame()))
kernel_reply = next_incoming()
print(json.dumps({"mac": mac, "request": kernel_request, "reply": kernel_reply}))
"""


def test_kernel_speaks_our_arp(netns: None) -> None:
    src = Path(__file__).resolve().parents[3] / "src"
    run = subprocess.run(
        ["unshare", "--net", sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env={"PYTHONPATH": str(src), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    mac = seen["mac"]

    request = decode_frame(bytes.fromhex(seen["request"]))
    assert (request.dst, request.src, request.ethertype) == (BROADCAST, mac, ARP_ETHERTYPE)
    assert decode_arp(request.payload) == arp_request(mac, "192.0.2.1", "192.0.2.2")

    reply = decode_frame(bytes.fromhex(seen["reply"]))
    assert (reply.dst, reply.src, reply.ethertype) == ("00:00:5e:00:53:02", mac, ARP_ETHERTYPE)
    ours = arp_request("00:00:5e:00:53:02", "192.0.2.2", "192.0.2.1")
    assert decode_arp(reply.payload) == arp_reply(ours, mac)
