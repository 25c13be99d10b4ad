#!/usr/bin/env python3
"""Write a large, realistic Cisco syslog for the diagnose benchmark.

Ordinary lines of many facilities (interfaces, routing, logins, ACL logs, ASA connection
logs), with a handful of IPsec error lines from the tech note planted among them.

usage: gen_syslog.py OUT SIZE_MB [SEED]
"""
import random
import sys

ORDINARY = [
    "%LINK-3-UPDOWN: Interface GigabitEthernet0/{a}, changed state to {updown}",
    "%LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/{a}, changed state to {updown}",
    "%OSPF-5-ADJCHG: Process 1, Nbr 10.{a}.{b}.{c} on GigabitEthernet0/{a} from LOADING to FULL, Loading Done",
    "%BGP-5-ADJCHANGE: neighbor 192.0.2.{c} Up",
    "%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: admin] [Source: 10.{a}.{b}.{c}] [localport: 22]",
    "%SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.{a}.{b}.{c})",
    "%SEC-6-IPACCESSLOGP: list OUTSIDE_IN denied tcp 198.51.100.{c}({port}) -> 203.0.113.{b}(443), 1 packet",
    "%ASA-6-302013: Built inbound TCP connection {n} for outside:198.51.100.{c}/{port} (198.51.100.{c}/{port}) to inside:10.{a}.{b}.{c}/443 (203.0.113.{b}/443)",
    "%ASA-6-302014: Teardown TCP connection {n} for outside:198.51.100.{c}/{port} to inside:10.{a}.{b}.{c}/443 duration 0:00:{s:02d} bytes {n}",
    "%ASA-4-106023: Deny tcp src outside:198.51.100.{c}/{port} dst inside:10.{a}.{b}.{c}/23 by access-group \"OUTSIDE\" [0x0, 0x0]",
    "%DHCPD-4-PING_CONFLICT: DHCP address conflict:  server pinged 10.{a}.{b}.{c}.",
    "%NTP-5-PEERSYNC: NTP synced to peer 192.0.2.{c}",
    "%SPANTREE-2-BLOCK_PVID_LOCAL: Blocking GigabitEthernet0/{a} on VLAN00{a}. Inconsistent local vlan.",
    "%CDP-4-DUPLEX_MISMATCH: duplex mismatch discovered on FastEthernet0/{a} (not full duplex), with sw{b} FastEthernet0/{c} (full duplex).",
    "%SNMP-3-AUTHFAIL: Authentication failure for SNMP req from host 10.{a}.{b}.{c}",
]
PLANTED = [
    "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id={a}.",
    "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.{c} failed its sanity check or is malformed",
    "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main Mode failed with peer at 198.51.100.{c}",
    "%ASA-4-402101: decaps: rec'd IPSEC packet has invalid spi for destaddr=203.0.113.{b}, prot=esp, spi=0x{n:x}",
    "%C1700_EM-1-ERROR: packet-rx error: ESP sequence fail",
    "IPSEC(initialize_sas): invalid proxy IDs",
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def line(rng, template, seq):
    v = dict(a=rng.randrange(1, 9), b=rng.randrange(1, 250), c=rng.randrange(1, 250), port=rng.randrange(1024, 65535),
             n=rng.randrange(10**5, 10**9), s=rng.randrange(60), updown=rng.choice(["up", "down"]))
    stamp = f"{rng.choice(MONTHS)} {rng.randrange(1, 29):2d} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
    host = f"10.0.{v['a']}.{v['b']}"
    return f"{stamp} {host} {seq}: {stamp}.{rng.randrange(1000):03d}: {template.format(**v)}\n"


def main():
    out, size_mb = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    target = size_mb << 20
    # A pool of distinct ordinary lines, sampled in blocks: fast to write, varied to read.
    pool = [line(rng, rng.choice(ORDINARY), i) for i in range(200_000)]
    written, seq, planted = 0, 0, 0
    with open(out, "w", encoding="ascii") as f:
        while written < target:
            block = rng.sample(pool, 20_000)
            if rng.random() < 0.5:
                block[rng.randrange(len(block))] = line(rng, rng.choice(PLANTED), seq)
                planted += 1
            text = "".join(block)
            f.write(text)
            written += len(text)
            seq += len(block)
    print(f"{out}: {written >> 20} MiB, {seq} lines, {planted} planted IPsec lines")


if __name__ == "__main__":
    main()
