// Package l2 decodes the layer-2 discovery and aggregation protocols a host
// hears on its NICs: LLDP (mdlayher/lldp for the frame, our own decoders for
// the IEEE 802.1 and 802.3 organisationally specific TLVs), CDP (gopacket's
// layers) and LACPDUs (by hand: gopacket has no LACP layer). It reads them
// from pcap/pcapng captures (gopacket's pcapgo), such as the l2.pcap of a raw
// host capture written by `tcpdump -i any`, or hears them itself on raw
// packet sockets (mdlayher/packet, Linux only), and collapses them into the
// topology.Neighbour facts a host snapshot records.
//
// It imports only topology and the protocol libraries (gopacket,
// mdlayher/lldp, mdlayher/packet, and x/net/bpf and x/sys/unix for the
// socket's filter and options): no other collector, no vendor or rule code.
package l2
