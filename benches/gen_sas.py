#!/usr/bin/env python3
"""Write `show crypto ipsec sa detail` output of a concentrator with many distinct SAs, for
the diagnose benchmark (issue 16, case c).

The IOS-XE layout: one `interface:` header, then one block per SA with its proxy
identities, its peer and its counters. Every SA has its own local/remote identity pair and
its own peer (198.18.0.0/15, the benchmarking range), and passes traffic both ways. Which
SAs diagnose follows is bounded (the first 50 000 of an input); the rest are counted, not
kept, so memory stays constant. Deterministic: the same COUNT gives the same file.

usage: gen_sas.py COUNT OUT
"""
import sys

BLOCK = """   protected vrf: (none)
   local  ident (addr/mask/prot/port): ({local}/255.255.255.0/0/0)
   remote ident (addr/mask/prot/port): ({remote}/255.255.255.0/0/0)
   current_peer {peer} port 500
     PERMIT, flags={{origin_is_acl,}}
    #pkts encaps: {enc}, #pkts encrypt: {enc}, #pkts digest: {enc}
    #pkts decaps: {dec}, #pkts decrypt: {dec}, #pkts verify: {dec}
    #pkts compressed: 0, #pkts decompressed: 0
    #pkts not compressed: 0, #pkts compr. failed: 0
    #pkts not decompressed: 0, #pkts decompress failed: 0
    #pkts no sa (send) 0, #pkts invalid sa (rcv) 0
    #pkts encaps failed (send) 0, #pkts decaps failed (rcv) 0
    #pkts invalid prot (recv) 0, #pkts verify failed: 0
    #pkts invalid identity (recv) 0, #pkts invalid len (rcv) 0
    #pkts replay rollover (send): 0, #pkts replay rollover (rcv) 0
    ##pkts replay failed (rcv): 0
    #pkts tagged (send): 0, #pkts untagged (rcv): 0
    #pkts not tagged (send): 0, #pkts not untagged (rcv): 0
    #pkts internal err (send): 0, #pkts internal err (recv) 0

     local crypto endpt.: 203.0.113.1, remote crypto endpt.: {peer}
     plaintext mtu 1438, path mtu 1500, ip mtu 1500, ip mtu idb GigabitEthernet1
     current outbound spi: 0x{spi:08X}({spi})
     PFS (Y/N): N, DH group: none

"""


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    with open(out, "w", encoding="ascii") as f:
        f.write("hub#show crypto ipsec sa detail\n\ninterface: GigabitEthernet1\n")
        f.write("    Crypto map tag: HUB-MAP, local addr 203.0.113.1\n\n")
        for i in range(count):
            f.write(BLOCK.format(
                local=f"10.{(i >> 8) % 256}.{i % 256}.0",
                remote=f"172.{16 + (i >> 16) % 16}.{(i >> 8) % 256}.{i % 256}",
                peer=f"198.{18 + (i >> 16) % 2}.{(i >> 8) % 256}.{i % 256}",
                enc=1000 + i % 977, dec=990 + i % 971, spi=0x10000000 + i,
            ))
    print(f"{out}: {count} SAs", file=sys.stderr)


main()
