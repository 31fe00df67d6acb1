/// Network XML in each form libvirt's network schema allows, as a user or libvirt writes it:
/// one fixture per form, for `NetworkConfigTests` (and, where a topology can describe the form,
/// the same shapes are made with `virsh net-define` in the adoption tests).
enum NetworkXMLFixtures {
    /// vnetctl's own form: `prefix=`.
    static let prefix = """
        <network><name>p</name><forward mode='nat'/><bridge name='vbr-p' stp='off' delay='0'/>
          <ip address='10.123.5.1' prefix='24'><dhcp><range start='10.123.5.100' end='10.123.5.200'/></dhcp></ip></network>
        """

    /// libvirt's stock `default` network: `netmask=`, `<nat>` port range, the network's `<mac>`.
    static let netmask = """
        <network><name>default</name><uuid>3c6b2b0e-3c43-4f6f-9b2e-0b2f0d5b1a11</uuid>
          <forward mode='nat'><nat><port start='1024' end='65535'/></nat></forward>
          <bridge name='virbr0' stp='on' delay='0'/><mac address='52:54:00:0A:0B:0C'/>
          <ip address='192.168.122.1' netmask='255.255.255.0'>
            <dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp></ip></network>
        """

    /// `<ip>` with neither prefix nor netmask: libvirt implies the classful prefix (IPv6: 64).
    static let classful = """
        <network><name>c</name>
          <ip address='10.24.10.1'/><ip address='172.16.4.1'/><ip address='192.168.9.1'/>
          <ip family='ipv6' address='fd00:24::1'/></network>
        """

    /// Both DHCP families; DHCPv6 hosts by DUID (`id`) and by `name` (libvirt refuses a `mac` there).
    static let dhcpv6 = """
        <network><name>six</name><bridge name='vbr-six'/>
          <ip address='10.123.6.1' prefix='24'><dhcp><range start='10.123.6.10' end='10.123.6.20'/>
            <host mac='52:54:00:00:06:01' ip='10.123.6.11' name='four'/></dhcp></ip>
          <ip family='ipv6' address='fd00:6::1' prefix='64'><dhcp>
            <range start='fd00:6::100' end='fd00:6::1ff'/>
            <host id='0:4:7e:7d:f0:7d:a8:bc:c5:d2:13:32:11:ed:16:ea:84:63' name='v6a' ip='fd00:6::10'/>
            <host name='v6b' ip='fd00:6::11'/></dhcp></ip></network>
        """

    /// A DHCP host named by an FQDN, which libvirt and dnsmasq accept.
    static let fqdn = """
        <network><name>f</name><bridge name='vbr-f' stp='off' delay='0'/>
          <dns><host ip='10.123.7.20'><hostname>a.example.com</hostname><hostname>a</hostname></host></dns>
          <ip address='10.123.7.1' prefix='24'><dhcp><range start='10.123.7.100' end='10.123.7.200'/>
            <host mac='52:54:00:00:07:01' name='a.example.com' ip='10.123.7.20'/></dhcp></ip></network>
        """

    /// `<forward dev>` and `<forward><interface dev>` together, as libvirt saves a routed uplink.
    static let forwardDevAndInterface = """
        <network><name>r</name><forward mode='route' dev='eth1'><interface dev='eth1'/></forward>
          <bridge name='vbr-r' stp='off' delay='0'/><ip address='10.123.8.1' prefix='24'/></network>
        """

    /// `<forward>` without `mode`: libvirt's default, nat.
    static let forwardWithoutMode = "<network><name>n</name><forward/><ip address='10.123.9.1' prefix='24'/></network>"

    static let open = "<network><name>o</name><forward mode='open'/><bridge name='vbr-o'/><ip address='10.123.10.1' prefix='24'/></network>"

    static let isolated = "<network><name>i</name><bridge name='vbr-i'/><ip address='10.123.11.1' prefix='24'/></network>"

    /// Bridged onto an existing host bridge.
    static let bridgeOnHostBridge = "<network><name>b</name><forward mode='bridge'/><bridge name='br0'/></network>"

    /// Bridged by macvtap on a pool of uplinks.
    static let bridgeMacvtap = """
        <network><name>m</name><forward mode='bridge'><interface dev='eth0'/><interface dev='eth2'/></forward></network>
        """

    static let privateMode = "<network><name>pv</name><forward mode='private'><interface dev='eth0'/></forward></network>"

    static let vepa = "<network><name>v</name><forward mode='vepa'><interface dev='eth3'/></forward></network>"

    static let passthrough = "<network><name>pt</name><forward mode='passthrough'><interface dev='eth4'/></forward></network>"

    /// An SR-IOV pool: `<pf dev>`.
    static let hostdev = "<network><name>h</name><forward mode='hostdev' managed='yes'><pf dev='eth5'/></forward></network>"

    /// vnetctl's metadata and the other optional elements: mtu, domain.
    static let managed = """
        <network><name>lab</name>
          <metadata><vnetctl:network xmlns:vnetctl='https://vnetctl.dev/xmlns/vnetctl/1' model='nat' template='nat' topology='t1'/></metadata>
          <forward mode='nat'/><bridge name='vbr-lab' stp='off' delay='0'/><mtu size='9000'/><domain name='lab.example' localOnly='yes'/>
          <ip address='10.123.12.1' prefix='24'/></network>
        """
}
