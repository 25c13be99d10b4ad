#!/usr/bin/env python3
"""Write the debug log of a hub that negotiates with many peers, for the diagnose benchmark.

A Cisco IOS 15 / IOS-XE hub (203.0.113.1) logs `debug crypto isakmp` and `debug crypto
ipsec` while some 500 peers (198.51.100.0/24, 203.0.113.0/24) bring up and rekey their
tunnels. Each peer's main mode (three packets) and quick modes (two packets each) are
printed packet by packet as IOS prints them, interleaved with the other peers' packets:
`ISAKMP (0):` until the SA has a connection ID, then `ISAKMP:(1001):`. One phase-2
negotiation in 200 fails: every IPsec proposal is refused for the crypto map's identity
("transform proposal not supported for identity", "IPSec policy invalidated proposal with
error 256") and the hub says "phase 2 SA policy not acceptable!". Of the rest, about one in
three succeeds after a refused first proposal, and one main mode in five after a policy
that refused the offered Diffie-Hellman group: normal negotiation that must not be reported.

Prints to stderr how many negotiations and failures it wrote; writes OUT.expected, one
`peer<TAB>failures` line per peer with a failed negotiation (the counts diagnose must
find). Deterministic: the same SIZE_MB gives the same file.

usage: gen_debug.py SIZE_MB OUT
"""
import datetime
import random
import sys

HUB = "203.0.113.1"
PEERS = [f"198.51.100.{i}" for i in range(1, 255)] + [f"203.0.113.{i}" for i in range(2, 255)]
SEED = 11
# Sessions in progress at once: how many peers' packets interleave.
ACTIVE = 24
FAIL_ONE_IN = 200

# The peer's phase-2 proposals: (ISAKMP transform, authenticator, key length, transform set).
REFUSED = ("ESP_3DES", "HMAC-MD5", None, "esp-3des esp-md5-hmac")
REFUSED_TOO = ("ESP_DES", "HMAC-SHA", None, "esp-des esp-sha-hmac")
ACCEPTED = ("ESP_AES", "HMAC-SHA", 256, "esp-aes 256 esp-sha-hmac")


def ipsort(addr):
    return tuple(int(x) for x in addr.split("."))


class Peer:
    def __init__(self, index, addr):
        self.addr = addr
        self.remote_net = f"172.{16 + index // 256}.{index % 256}.0"
        self.conn = None  # the ISAKMP SA's connection ID, once main mode gave it one


class Writer:
    def __init__(self, rng):
        self.rng = rng
        self.start = datetime.datetime(2024, 3, 1)
        self.ms = 0
        self.conn = 1000
        self.ipsec_conn = 2000

    def stamp(self):
        self.ms += self.rng.randrange(1, 40)
        t = self.start + datetime.timedelta(milliseconds=self.ms)
        return f"*{t:%b} {t.day:2d} {t:%H:%M:%S}.{self.ms % 1000:03d}: "

    def block(self, lines):
        """One packet's processing: stamped lines; continuation lines (indented, or IOS's
        "bring down …" after "Process initial contact,") and blank lines are printed
        without a stamp, as IOS does."""
        ts = self.stamp()
        return "".join(
            l + "\n" if (not l or l[0] in " \t" or l.startswith("bring down")) else ts + l + "\n"
            for l in lines
        )

    def mid(self):
        return self.rng.randrange(-2**31, 2**31)

    def hexword(self):
        return f"{self.rng.randrange(2**32):08X}"


def phase1_offer(prio, group):
    return [
        f"ISAKMP:(0):Checking ISAKMP transform 1 against priority {prio} policy",
        "ISAKMP:      encryption AES-CBC",
        "ISAKMP:      keylength of 256",
        "ISAKMP:      hash SHA",
        f"ISAKMP:      default group {group}",
        "ISAKMP:      auth pre-share",
        "ISAKMP:      life type in seconds",
        "ISAKMP:      life duration (VPI) of  0x0 0x1 0x51 0x80",
    ]


def main_mode(w, peer, refused_first):
    """The responder's main mode: three packets received, three sent."""
    p, struct, sa = peer.addr, w.hexword(), w.hexword()
    mm1 = [
        f"ISAKMP (0): received packet from {p} dport 500 sport 500 Global (N) NEW SA",
        f"ISAKMP: Created a peer struct for {p}, peer port 500",
        f"ISAKMP: New peer created peer = 0x{struct} peer_handle = 0x8000{w.rng.randrange(16**4):04X}",
        f"ISAKMP: Locking peer struct 0x{struct}, refcount 1 for crypto_isakmp_process_block",
        "ISAKMP: local port 500, remote port 500",
        f"ISAKMP:(0):insert sa successfully sa = {sa}",
        "ISAKMP:(0):Input = IKE_MESG_FROM_PEER, IKE_MM_EXCH",
        "ISAKMP:(0):Old State = IKE_READY  New State = IKE_R_MM1",
        "",
        "ISAKMP:(0): processing SA payload. message ID = 0",
        "ISAKMP:(0): processing vendor id payload",
        "ISAKMP:(0): vendor ID seems Unity/DPD but major 69 mismatch",
        "ISAKMP (0): vendor ID is NAT-T RFC 3947",
        f"ISAKMP:(0):found peer pre-shared key matching {p}",
        "ISAKMP:(0): local preshared key found",
        "ISAKMP : Scanning profiles for xauth ...",
    ]
    if refused_first:
        # The hub's priority 10 policy wants group 14; the peer offers group 2.
        mm1 += phase1_offer(10, 2) + [
            "ISAKMP:(0):Diffie-Hellman group offered does not match policy!",
            "ISAKMP:(0):atts are not acceptable. Next payload is 0",
        ]
        mm1 += phase1_offer(20, 2)
    else:
        mm1 += phase1_offer(10, 14)
    mm1 += [
        "ISAKMP:(0):atts are acceptable. Next payload is 0",
        "ISAKMP:(0):Acceptable atts:actual life: 0",
        "ISAKMP:(0):Acceptable atts:life: 0",
        "ISAKMP:(0):Fill atts in sa vpi_length:4",
        "ISAKMP:(0):Fill atts in sa life_in_seconds:86400",
        "ISAKMP:(0):Returning Actual lifetime: 86400",
        "ISAKMP:(0)::Started lifetime timer: 86400.",
        "",
        "ISAKMP:(0):Input = IKE_MESG_INTERNAL, IKE_PROCESS_MAIN_MODE",
        "ISAKMP:(0):Old State = IKE_R_MM1  New State = IKE_R_MM1",
        "",
        "ISAKMP:(0): constructed NAT-T vendor-rfc3947 ID",
        f"ISAKMP:(0): sending packet to {p} my_port 500 peer_port 500 (R) MM_SA_SETUP",
        "ISAKMP:(0):Sending an IKE IPv4 Packet.",
        "ISAKMP:(0):Input = IKE_MESG_INTERNAL, IKE_PROCESS_COMPLETE",
        "ISAKMP:(0):Old State = IKE_R_MM1  New State = IKE_R_MM2",
        "",
    ]
    yield mm1
    w.conn += 1
    peer.conn = n = w.conn
    yield [
        f"ISAKMP (0): received packet from {p} dport 500 sport 500 Global (R) MM_SA_SETUP",
        "ISAKMP:(0):Input = IKE_MESG_FROM_PEER, IKE_MM_EXCH",
        "ISAKMP:(0):Old State = IKE_R_MM2  New State = IKE_R_MM3",
        "",
        "ISAKMP:(0): processing KE payload. message ID = 0",
        "ISAKMP:(0): processing NONCE payload. message ID = 0",
        f"ISAKMP:(0):found peer pre-shared key matching {p}",
        f"ISAKMP:({n}): processing vendor id payload",
        f"ISAKMP:({n}): vendor ID is DPD",
        f"ISAKMP:({n}): processing vendor id payload",
        f"ISAKMP:({n}): speaking to another IOS box!",
        f"ISAKMP:({n}): processing vendor id payload",
        f"ISAKMP:({n}): vendor ID seems Unity/DPD but major 32 mismatch",
        f"ISAKMP:({n}): vendor ID is XAUTH",
        "ISAKMP:received payload type 20",
        f"ISAKMP ({n}): No NAT Found for self or peer",
        f"ISAKMP:({n}):Input = IKE_MESG_INTERNAL, IKE_PROCESS_MAIN_MODE",
        f"ISAKMP:({n}):Old State = IKE_R_MM3  New State = IKE_R_MM3",
        "",
        f"ISAKMP:({n}): sending packet to {p} my_port 500 peer_port 500 (R) MM_KEY_EXCH",
        f"ISAKMP:({n}):Sending an IKE IPv4 Packet.",
        f"ISAKMP:({n}):Input = IKE_MESG_INTERNAL, IKE_PROCESS_COMPLETE",
        f"ISAKMP:({n}):Old State = IKE_R_MM3  New State = IKE_R_MM4",
        "",
    ]
    yield [
        f"ISAKMP ({n}): received packet from {p} dport 500 sport 500 Global (R) MM_KEY_EXCH",
        f"ISAKMP:({n}):Input = IKE_MESG_FROM_PEER, IKE_MM_EXCH",
        f"ISAKMP:({n}):Old State = IKE_R_MM4  New State = IKE_R_MM5",
        "",
        f"ISAKMP:({n}): processing ID payload. message ID = 0",
        f"ISAKMP ({n}): ID payload",
        "\tnext-payload : 8",
        "\ttype         : 1",
        f"\taddress      : {p}",
        "\tprotocol     : 17",
        "\tport         : 500",
        "\tlength       : 12",
        f"ISAKMP:({n}):: peer matches *none* of the profiles",
        f"ISAKMP:({n}): processing HASH payload. message ID = 0",
        f"ISAKMP:({n}): processing NOTIFY INITIAL_CONTACT protocol 1",
        f"\tspi 0, message ID = 0, sa = 0x{sa}",
        f"ISAKMP:({n}):SA authentication status:",
        "\tauthenticated",
        f"ISAKMP:({n}):SA has been authenticated with {p}",
        f"ISAKMP:({n}): Process initial contact,",
        f"bring down existing phase 1 and 2 SA's with local {HUB} remote {p} remote port 500",
        f"ISAKMP: Trying to insert a peer {HUB}/{p}/500/,  and inserted successfully {struct}.",
        f"ISAKMP:({n}):Input = IKE_MESG_FROM_PEER, IKE_MM_EXCH",
        f"ISAKMP:({n}):Old State = IKE_R_MM5  New State = IKE_R_MM5",
        "",
        f"ISAKMP:({n}):SA is doing pre-shared key authentication using id type ID_IPV4_ADDR",
        f"ISAKMP ({n}): ID payload",
        "\tnext-payload : 8",
        "\ttype         : 1",
        f"\taddress      : {HUB}",
        "\tprotocol     : 17",
        "\tport         : 500",
        "\tlength       : 12",
        f"ISAKMP:({n}):Total payload length: 12",
        f"ISAKMP:({n}): sending packet to {p} my_port 500 peer_port 500 (R) MM_KEY_EXCH",
        f"ISAKMP:({n}):Sending an IKE IPv4 Packet.",
        f"ISAKMP:({n}):Input = IKE_MESG_INTERNAL, IKE_PROCESS_COMPLETE",
        f"ISAKMP:({n}):Old State = IKE_R_MM5  New State = IKE_P1_COMPLETE",
        "",
        f"ISAKMP:({n}):Input = IKE_MESG_INTERNAL, IKE_PHASE1_COMPLETE",
        f"ISAKMP:({n}):Old State = IKE_P1_COMPLETE  New State = IKE_P1_COMPLETE",
        "",
    ]


def proposal(n, number, offer, peer, refused):
    transform, auth, keylen, tset = offer
    lines = [
        f"ISAKMP:({n}):Checking IPSec proposal {number}",
        f"ISAKMP: transform 1, {transform}",
        "ISAKMP:   attributes in transform:",
        "ISAKMP:      encaps is 1 (Tunnel)",
        "ISAKMP:      SA life type in seconds",
        "ISAKMP:      SA life duration (basic) of 3600",
        "ISAKMP:      SA life type in kilobytes",
        "ISAKMP:      SA life duration (VPI) of  0x0 0x46 0x50 0x0",
        f"ISAKMP:      authenticator is {auth}",
    ]
    if keylen:
        lines.append(f"ISAKMP:      key length is {keylen}")
    lines += [
        f"ISAKMP:({n}):atts are acceptable.",
        "IPSEC(validate_proposal_request): proposal part #1",
        "IPSEC(validate_proposal_request): proposal part #1,",
        f"  (key eng. msg.) INBOUND local= {HUB}:0, remote= {peer.addr}:0,",
        "    local_proxy= 10.0.0.0/255.255.0.0/256/0,",
        f"    remote_proxy= {peer.remote_net}/255.255.255.0/256/0,",
        "    protocol= ESP, transform= NONE  (Tunnel),",
        "    lifedur= 0s and 0kb,",
        f"    spi= 0x0(0), conn_id= 0, keysize= {keylen or 0}, flags= 0x0",
        "Crypto mapdb : proxy_match",
        "\tsrc addr     : 10.0.0.0",
        f"\tdst addr     : {peer.remote_net}",
        "\tprotocol     : 0",
        "\tsrc port     : 0",
        "\tdst port     : 0",
    ]
    if refused:
        lines += [
            f"IPSEC(ipsec_process_proposal): transform proposal not supported for identity: {{{tset} }}",
            f"ISAKMP:({n}): IPSec policy invalidated proposal with error 256",
        ]
    return lines


def quick_mode(w, peer, kind):
    """The responder's quick mode: `ok`, `refused-first` (proposal 1 refused, 2 accepted)
    or `fail` (every proposal refused)."""
    p, n, m = peer.addr, peer.conn, w.mid()
    qm1 = [
        f"ISAKMP ({n}): received packet from {p} dport 500 sport 500 Global (R) QM_IDLE",
        f"ISAKMP: set new node {m} to QM_IDLE",
        f"ISAKMP:({n}): processing HASH payload. message ID = {m}",
        f"ISAKMP:({n}): processing SA payload. message ID = {m}",
    ]
    if kind == "fail":
        qm1 += proposal(n, 1, REFUSED, peer, True) + proposal(n, 2, REFUSED_TOO, peer, True)
        m2 = w.mid()
        qm1 += [
            f"ISAKMP:({n}): phase 2 SA policy not acceptable! (local {HUB} remote {p})",
            f"ISAKMP: set new node {m2} to QM_IDLE",
            f"ISAKMP:({n}):Sending NOTIFY PROPOSAL_NOT_CHOSEN protocol 3",
            f"\tspi {w.rng.randrange(2**31)}, message ID = {m2}",
            f"ISAKMP:({n}): sending packet to {p} my_port 500 peer_port 500 (R) QM_IDLE",
            f"ISAKMP:({n}):Sending an IKE IPv4 Packet.",
            f"ISAKMP:({n}):purging node {m2}",
            f'ISAKMP:({n}):deleting node {m} error TRUE reason "QM rejected"',
            f"ISAKMP:({n}):Node {m}, Input = IKE_MESG_FROM_PEER, IKE_QM_EXCH",
            f"ISAKMP:({n}):Old State = IKE_QM_READY  New State = IKE_QM_READY",
            "",
        ]
        yield qm1
        return
    if kind == "refused-first":
        qm1 += proposal(n, 1, REFUSED, peer, True) + proposal(n, 2, ACCEPTED, peer, False)
    else:
        qm1 += proposal(n, 1, ACCEPTED, peer, False)
    spi_in, spi_out = w.rng.randrange(2**32), w.rng.randrange(2**32)
    w.ipsec_conn += 2
    c1, c2 = w.ipsec_conn - 1, w.ipsec_conn
    qm1 += [
        f"ISAKMP:({n}): processing NONCE payload. message ID = {m}",
        f"ISAKMP:({n}): processing ID payload. message ID = {m}",
        f"ISAKMP:({n}): processing ID payload. message ID = {m}",
        f"ISAKMP:({n}):QM Responder gets spi",
        f"ISAKMP:({n}):Node {m}, Input = IKE_MESG_FROM_PEER, IKE_QM_EXCH",
        f"ISAKMP:({n}):Old State = IKE_QM_READY  New State = IKE_QM_SPI_STARVE",
        f"ISAKMP:({n}):Node {m}, Input = IKE_MESG_INTERNAL, IKE_GOT_SPI",
        f"ISAKMP:({n}):Old State = IKE_QM_SPI_STARVE  New State = IKE_QM_IPSEC_INSTALL_AWAIT",
        "IPSEC(key_engine): got a queue event with 1 KMI message(s)",
        f"IPSEC(crypto_ipsec_sa_find_ident_head): reconnecting with the same proxies and peer {p}",
        "IPSEC(create_sa): sa created,",
        f"  (sa) sa_dest= {HUB}, sa_proto= 50,",
        f"    sa_spi= 0x{spi_in:X}({spi_in}),",
        f"    sa_trans= {ACCEPTED[3]} , sa_conn_id= {c1}",
        "IPSEC(create_sa): sa created,",
        f"  (sa) sa_dest= {p}, sa_proto= 50,",
        f"    sa_spi= 0x{spi_out:X}({spi_out}),",
        f"    sa_trans= {ACCEPTED[3]} , sa_conn_id= {c2}",
        f"IPSEC(update_current_outbound_sa): updated peer {p} current outbound sa to SPI {spi_out:X}",
        f"ISAKMP:({n}):Received IPSec Install callback... proceeding with the negotiation",
        f"ISAKMP:({n}):Successfully installed IPSEC SA (SPI:0x{spi_in:X}) on GigabitEthernet0/0",
        f"ISAKMP:({n}): sending packet to {p} my_port 500 peer_port 500 (R) QM_IDLE",
        f"ISAKMP:({n}):Sending an IKE IPv4 Packet.",
        f"ISAKMP:({n}):Node {m}, Input = IKE_MESG_INTERNAL, IPSEC_INSTALL_DONE",
        f"ISAKMP:({n}):Old State = IKE_QM_IPSEC_INSTALL_AWAIT  New State = IKE_QM_R_QM2",
        "",
    ]
    yield qm1
    yield [
        f"ISAKMP ({n}): received packet from {p} dport 500 sport 500 Global (R) QM_IDLE",
        f'ISAKMP:({n}):deleting node {m} error FALSE reason "QM done (await)"',
        f"ISAKMP:({n}):Node {m}, Input = IKE_MESG_FROM_PEER, IKE_QM_EXCH",
        f"ISAKMP:({n}):Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE",
        "IPSEC(key_engine): got a queue event with 1 KMI message(s)",
        "IPSEC(key_engine_enable_outbound): rec'd enable notify from ISAKMP",
        f"IPSEC(key_engine_enable_outbound): enable SA with spi {spi_out} and conn_id {c2}",
        "",
    ]


def session(w, peer, new_phase1, refused_mm, kind):
    if new_phase1:
        yield from main_mode(w, peer, refused_mm)
    yield from quick_mode(w, peer, kind)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_debug.py SIZE_MB OUT")
    size_mb, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(SEED)
    w = Writer(rng)
    peers = [Peer(i, a) for i, a in enumerate(PEERS)]
    idle = list(range(len(peers)))
    target = size_mb << 20
    written = 0
    negotiations = main_modes = refused_first = 0
    failures = {}
    fail_at = -1
    active = []  # (peer index, block iterator)

    def start():
        nonlocal negotiations, main_modes, refused_first, fail_at
        i = idle.pop(rng.randrange(len(idle)))
        peer = peers[i]
        # Exactly one phase-2 negotiation in each run of FAIL_ONE_IN fails.
        if negotiations % FAIL_ONE_IN == 0:
            fail_at = negotiations + rng.randrange(FAIL_ONE_IN)
        if negotiations == fail_at:
            kind = "fail"
            failures[peer.addr] = failures.get(peer.addr, 0) + 1
        elif rng.random() < 1 / 3:
            kind = "refused-first"
            refused_first += 1
        else:
            kind = "ok"
        negotiations += 1
        new_phase1 = peer.conn is None or rng.random() < 0.04
        main_modes += new_phase1
        active.append((i, session(w, peer, new_phase1, rng.random() < 0.2, kind)))

    with open(out, "w", encoding="ascii") as f:
        header = "HUB-ISR4451#debug crypto isakmp\nCrypto ISAKMP debugging is on\nHUB-ISR4451#debug crypto ipsec\nCrypto IPSEC debugging is on\n"
        f.write(header)
        written += len(header)
        buf = []
        while active or written < target:
            # New sessions start while the log is short of its size; the last ones finish,
            # so that no negotiation straddles the end.
            while written < target and len(active) < ACTIVE and idle:
                start()
            k = rng.randrange(len(active))
            i, blocks = active[k]
            block = next(blocks, None)
            if block is None:
                active.pop(k)
                idle.append(i)
                continue
            text = w.block(block)
            buf.append(text)
            written += len(text)
            if len(buf) >= 512:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))
        f.write("HUB-ISR4451#undebug all\nAll possible debugging has been turned off\n")
    with open(out + ".expected", "w", encoding="ascii") as f:
        for peer in sorted(failures, key=ipsort):
            f.write(f"{peer}\t{failures[peer]}\n")
    total = sum(failures.values())
    print(
        f"{out}: {written >> 20} MiB, {len(peers)} peers, {main_modes} main modes, "
        f"{negotiations} phase-2 negotiations ({refused_first} after a refused first proposal), "
        f"{total} failed, at {len(failures)} peers (per peer: {out}.expected)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
