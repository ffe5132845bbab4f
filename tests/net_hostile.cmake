# SPDX-License-Identifier: MIT
# --- Hostile network peers: a guest that breaks a network page ----------
# Either side of a network connection may be hostile (docs/io.md, "The
# network protocol"): it may hurt only its own interface. The hostile
# side is the test guest (tests/guests/tguest/net_tests.c), the other PV
# Linux; the test guest halts the system once the Linux guest has
# stopped, so that both have said everything. Included by
# tests/CMakeLists.txt (hv_qemu_test, SYSTEMS, HV_BOARDS,
# HV_NET_IRQ_<board> come from there).
#
# The frontend (role netfront_evil) of a network interface served by the
# driver domain's hvnetback, on the bridge that also carries the honest
# Linux guest's eth0 to QEMU's gateway through the board's LAN9118
# (tests/systems/linux-net-hostile-frontend.dts). Nine lives, each on a
# fresh page: (1) honest, once a frame of the Linux guest came: three
# malformed receive requests and eight malformed transmit requests
# (lengths past the MTU and the buffer, short; buffers past the ring)
# each answered EINVAL and counted, the gateway's ARP answer before and
# after them, a transmit flood of 1 s with an event per frame (every
# frame answered); (2, 3) a header naming a grant that does not exist,
# or a read-only grant as a receive page: dd refuses the page (reported,
# never READY); (4-8) served, then tx req_prod far ahead, tx req_prod
# back, rx req_prod far ahead, rx req_prod back, an index storm, each
# followed by 20000 events: dd reports each broken ring once, before the
# frontend leaves it; (9) served again. Every page's grants end after
# its life (dd unmapped it all); (9) also, with the transmit offload and
# aligned frames: 27 requests in nine malformed chains (too long, the
# meta not first, a buffer twice, a bad flag, too short, a bad meta four
# ways, one that only Linux's virtio_net_hdr_to_skb refuses) each
# answered EINVAL and counted, then a TSO frame with a garbage IP header
# that dd's stack drops where it cuts it, served between each; dd's
# per-life counts at each detach are
# those the test guest made (--expect, --count). Meanwhile the Linux
# guest's 60 pings of the gateway, 0.25 s apart, are all answered, dd is
# never restarted and no kernel complains.
set(HV_NF "^\\[evil\\] netfront_evil: life")
set(HV_NF_BROKE "^\\[dd\\] \\[ *[0-9.]+\\] hvif1: guest 3 broke its ring")
set(HV_NF_LEFT "^\\[dd\\] \\[ *[0-9.]+\\] hvif1: guest 3 left")
foreach(board ${HV_BOARDS})
  set(broken_lives)
  foreach(life 4 5 6 7 8)
    if(life EQUAL 4)
      set(breaking "tx req_prod [0-9]+, 1000 past rsp_prod \\+ 32")
      set(why "tx ring -34")
    elseif(life EQUAL 5)
      set(breaking "tx req_prod back from [0-9]+ to [0-9]+")
      set(why "tx ring -34")
    elseif(life EQUAL 6)
      set(breaking "rx req_prod 1032 ahead, from [0-9]+ to [0-9]+, then an ARP request")
      set(why "rx ring -34")
    elseif(life EQUAL 7)
      set(breaking "rx req_prod back from [0-9]+ to [0-9]+, then an ARP request")
      set(why "rx ring -34")
    else()
      set(breaking "an index storm for 1000 ms")
      set(why "[a-z ]+ -?[0-9]+")
    endif()
    list(APPEND broken_lives
      --expect "${HV_NF} ${life}: connected to guest 2"
      --expect "${HV_NF} ${life}: 10\\.0\\.2\\.2 answered our ARP request \\(served before the break\\)"
      --expect "${HV_NF} ${life}: breaking the ring.?: ${breaking}"
      --expect "${HV_NF_BROKE} \\(${why}\\): not served until its next life$"
      --expect "${HV_NF} ${life}: 20000 of 20000 events sent, closing"
      --expect "${HV_NF_LEFT} \\([0-9]+ frames from it, [0-9]+ to it, [0-9]+ for it dropped. malformed requests: 0 tx, 0 rx\\). waiting for its next page$"
      --expect "${HV_NF} ${life}: 33 of 33 grants ended")
  endforeach()
  hv_qemu_test(linux.net_hostile_frontend BOARDS ${board} TIMEOUT 120
    ARGS --image-dir ${HV_PVLINUX_DIR}
    --image dtb-dd=${HV_ROOT}/tests/linux/net-dd-${board}.dts
    --image dtb-linux=${HV_ROOT}/tests/linux/guest.dts
    --manifest-dts ${SYSTEMS}/linux-net-hostile-frontend.dts
    --set "dd.interrupts=${HV_NET_IRQ_${board}}"
    --result-from evil --expect-exit 0
    --expect "^\\[evil\\] netfront_evil: the frontend of network connection 1, backend guest 2, MAC 02:48:56:00:00:03"
    --expect "${HV_NF} 1: connected to guest 2"
    --expect "${HV_NF} 1: a frame from 02:48:56:00:00:01 \\(the other guest\\)"
    --expect "${HV_NF} 1: 3 bad receive requests answered EINVAL"
    --expect "${HV_NF} 1: 10\\.0\\.2\\.2 answered our ARP request \\(before the bad requests\\)"
    --expect "${HV_NF} 1: 8 bad transmit requests: lengths 1515, 2048, 4000, 65535, 13, 0. buffers 32, 65535"
    --expect "${HV_NF} 1: 8 bad transmit requests answered EINVAL"
    --expect "${HV_NF} 1: 10\\.0\\.2\\.2 answered our ARP request \\(after the bad requests\\)"
    --expect "${HV_NF} 1: transmit flood for 1000 ms"
    --expect "${HV_NF} 1: transmit flood over: [1-9][0-9]* frames, [1-9][0-9]* sent, [0-9]+ dropped"
    --expect "${HV_NF} 1: 10\\.0\\.2\\.2 answered our ARP request \\(after the transmit flood\\)"
    --expect "${HV_NF} 1: 0 of 0 events sent, closing"
    --expect "${HV_NF_LEFT} \\([1-9][0-9]* frames from it, [1-9][0-9]* to it, [0-9]+ for it dropped. malformed requests: 8 tx, 3 rx\\). waiting for its next page$"
    --expect "${HV_NF} 1: 33 of 33 grants ended"
    --expect "${HV_NF} 2: breaking the header: tx_gref\\[5\\] 4000, no such grant"
    --expect "^\\[dd\\] \\[ *[0-9.]+\\] hvif1: cannot map the buffers of guest 3: -2$"
    --expect "${HV_NF} 2: not connected after 2000 ms, the backend's state 1$"
    --expect "${HV_NF} 2: 33 of 33 grants ended"
    --expect "${HV_NF} 3: breaking the header: rx_gref\\[0\\] [0-9]+, a read-only grant"
    --expect "^\\[dd\\] \\[ *[0-9.]+\\] hvif1: cannot map the buffers of guest 3: -1$"
    --expect "${HV_NF} 3: not connected after 2000 ms, the backend's state 1$"
    --expect "${HV_NF} 3: 33 of 33 grants ended"
    ${broken_lives}
    --expect "${HV_NF} 9: connected to guest 2"
    --expect "${HV_NF} 9: 10\\.0\\.2\\.2 answered our ARP request \\(served again on a fresh page after 7 bad ones\\)"
    --expect "${HV_NF} 9: 27 requests in 9 malformed chains \\(too long, meta not first, a buffer twice, a bad flag, short, 4 bad metas\\)"
    --expect "${HV_NF} 9: 27 requests in bad chains answered EINVAL"
    --expect "${HV_NF} 9: 10\\.0\\.2\\.2 answered our ARP request \\(after the bad chains\\)"
    --expect "${HV_NF} 9: a TSO frame of 3034 bytes with a garbage IP header: (2 requests answered OK, 0|1 requests answered OK, 1|0 requests answered OK, 2) EDROP$"
    --expect "${HV_NF} 9: 10\\.0\\.2\\.2 answered our ARP request \\(after the garbage TSO frame\\)"
    --expect "${HV_NF} 9: 0 of 0 events sent, closing"
    --expect "${HV_NF_LEFT} \\([1-9][0-9]* frames from it, [1-9][0-9]* to it, [0-9]+ for it dropped. malformed requests: 27 tx, 0 rx\\). waiting for its next page$"
    --expect "${HV_NF} 9: 33 of 33 grants ended"
    --expect "^\\[evil\\] netfront_evil: 9 lives: 2 served, 2 pages refused, 5 rings broken$"
    --expect "^\\[evil\\] netfront_evil: waited for 1 guest to stop"
    --expect "^\\[evil\\] hvtest: role.netfront_evil: SUCCESS"
    --expect "^hv: self-check: ok"
    --count "${HV_NF_BROKE}" "^\\[evil\\] netfront_evil: 9 lives: .* ([0-9]+) rings broken"
    --count "hvif1: cannot map the buffers of guest 3" "^\\[evil\\] netfront_evil: 9 lives: .* ([0-9]+) pages refused"
    --count "${HV_NF_LEFT}" "^\\[evil\\] netfront_evil: attached by the backend ([0-9]+) times"
    --count "^\\[dd\\] .*hvif1: guest 3's page [0-9]+ and buffers mapped" "^\\[evil\\] netfront_evil: attached by the backend ([0-9]+) times"
    --count "^\\[linux\\] net_hostile: 60 of 60 pings of 10\\.0\\.2\\.2 answered$" "^\\[evil\\] netfront_evil: waited for ([0-9]+) guest"
    --count "^\\[linux\\] HVTEST-RESULT net_hostile PASS$" "^\\[evil\\] netfront_evil: waited for ([0-9]+) guest"
    --count "^hv: guest 1 'linux' shut down with code 0$" "^\\[evil\\] netfront_evil: waited for ([0-9]+) guest"
    --forbid "HVTEST-RESULT net_hostile FAIL"
    --forbid "^\\[linux\\] FAIL: "
    --forbid "Oops|BUG:|WARNING:|Kernel panic"
    --forbid "hvif0: .*(cannot|broke|refused|failed)"
    --forbid "hvif0: .*malformed requests: ([1-9]|0 tx, [1-9])"
    --forbid "hvnet(back)?: .*(cannot|broke|refused|failed|no interface)"
    --forbid "eth0: .*broke"
    --forbid "netfront_evil: FAIL"
    --forbid "^hv: guest 1 'linux' (stopped|killed|shut down with code [1-9])"
    --forbid "^hv: guest 2 'dd' ")
  set_tests_properties(${board}.linux.net_hostile_frontend PROPERTIES
    FIXTURES_REQUIRED linux LABELS "qemu;linux;${board}")
endforeach()

# The backend (role netback_evil) of the Linux guest's eth0
# (tests/systems/linux-net-hostile-backend.dts: no driver domain; it maps
# the page and copies frames through the buffers itself), honest until
# the guest's script asks for 10.0.2.99 (tests/linux/tests/net_hostile.sh):
# it answers ARP and three pings for 10.0.2.2, then breaks the ring, one
# way per test (evil=), floods the guest with 20000 events and, from 1 s
# later until the guest stops, rewrites both rsp_prods and the response
# slots at random between events. hvnet reports the broken ring once
# (its reason checked) and drops frames: the carrier goes off, pings
# after the report return unanswered, eth0 goes down and up, the script
# runs to its end; and nothing the script sent after the report (pings
# with the payload byte 0x5a) reaches the transmit buffers, where
# netback_evil looks for it every 200 ms while the guest runs.
#   _rx_len   an rx response of length 4000 (past the buffer) for a
#             buffer offered
#   _rx_id    an rx response for buffer 45 (past the 32)
#   _rsp_far  rx rsp_prod 1000 past the requests
#   _tx_back  tx rsp_prod moved back by 4
#   _garbage  rx responses of random bytes under a valid rsp_prod
set(HV_NB "^\\[evil\\] netback_evil:")
foreach(board ${HV_BOARDS})
  foreach(evil rx_len rx_id rsp_far tx_back garbage)
    if(evil STREQUAL "rx_len")
      set(breaking "an rx response for buffer [0-9]+, length 4000, past the buffer")
      set(why "rx length 4000")
    elseif(evil STREQUAL "rx_id")
      set(breaking "an rx response for buffer 45, past the 32")
      set(why "rx response for buffer 45")
    elseif(evil STREQUAL "rsp_far")
      set(breaking "rx rsp_prod [0-9]+, 1000 past the requests")
      set(why "rx ring -34")
    elseif(evil STREQUAL "tx_back")
      set(breaking "tx rsp_prod back from [0-9]+ to [0-9]+")
      set(why "tx ring -34")
    else()
      set(breaking "[1-8] rx responses of random bytes")
      set(why "rx [a-z ]+ -?[0-9]+")
    endif()
    hv_qemu_test(linux.net_hostile_backend_${evil} BOARDS ${board}
      TIMEOUT 120 ARGS --image-dir ${HV_PVLINUX_DIR}
      --image dtb-linux=${HV_ROOT}/tests/linux/guest.dts
      --manifest-dts ${SYSTEMS}/linux-net-hostile-backend.dts
      --set "evil.bootargs=role=netback_evil evil=${evil}"
      --result-from evil --expect-exit 0
      --expect "${HV_NB} attached to guest 1's page"
      --expect "^\\[linux\\] \\[ *[0-9.]+\\] eth0: connected to guest 2 \\(connection 0\\)$"
      --expect "${HV_NB} answered the guest's ARP request for 10\\.0\\.2\\.2"
      --expect "${HV_NB} answered ping 3 of the guest"
      --expect "${HV_NB} the guest asked for 10\\.0\\.2\\.99: break now \\([0-9]+ frames, [1-9][0-9]* ARP requests and 3 pings answered, 0 frames without a buffer\\)"
      --expect "${HV_NB} breaking the ring: ${breaking}"
      --expect "^\\[linux\\] \\[ *[0-9.]+\\] eth0: the backend \\(guest 2\\) broke the ring \\(${why}\\): frames are dropped from now on$"
      --expect "^\\[linux\\] net_hostile: the report came after [0-9]+ probes"
      --expect "^\\[linux\\] net_hostile: 0 of 5 pings after the report answered"
      --expect "^\\[linux\\] net_hostile: eth0 carrier 0"
      --expect "^\\[linux\\] net_hostile: eth0 went down and up"
      --expect "^\\[linux\\] net_hostile: a child runs"
      --expect "^\\[linux\\] net_hostile: the broken ring reported 1 time"
      --expect "^\\[linux\\] HVTEST-RESULT net_hostile PASS"
      --expect "^hv: guest 1 'linux' shut down with code 0$"
      --expect "${HV_NB} guest 1 stopped, the storm made [1-9][0-9]* rewrites and [1-9][0-9]* events"
      --expect "${HV_NB} the frontend put nothing in its transmit buffers after its report \\([1-9][0-9]* looks\\)"
      --expect "^\\[evil\\] hvtest: role.netback_evil: SUCCESS"
      --expect "^hv: self-check: ok"
      --count "^\\[linux\\] \\[ *[0-9.]+\\] eth0: the backend .*broke the ring" "^\\[linux\\] net_hostile: the broken ring reported ([0-9]+) time"
      --forbid "HVTEST-RESULT net_hostile FAIL"
      --forbid "^\\[linux\\] FAIL: "
      --forbid "Oops|BUG:|WARNING:|Kernel panic"
      --forbid "hvnet: .*cannot"
      --forbid "netback_evil: (FAIL|FOUND)")
    set_tests_properties(${board}.linux.net_hostile_backend_${evil}
      PROPERTIES FIXTURES_REQUIRED linux LABELS "qemu;linux;${board}")
  endforeach()
endforeach()
