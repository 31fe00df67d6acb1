/// Domain XML with one `<interface>` of every type libvirt's domain schema allows, and a teaming
/// failover pair, for `DomainConfigTests` and the MAC inventory's duplicate rules.
enum DomainXMLFixtures {
    static let everyInterfaceType = """
        <domain type='qemu'><name>all-nics</name><uuid>9d1f5a1c-0b5e-4d55-a2f4-5c7e8e6f0a01</uuid>
          <memory unit='KiB'>262144</memory><vcpu>2</vcpu>
          <devices>
            <disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.qcow2'/><target dev='vda'/></disk>
            <disk type='file' device='cdrom'><target dev='sda'/></disk>
            <interface type='network'><mac address='52:54:00:00:01:01'/>
              <source network='lab' portgroup='pg1' bridge='virbr9'/><target dev='vnet3'/><model type='virtio'/></interface>
            <interface type='bridge'><mac address='52:54:00:00:01:02'/><source bridge='midonet'/><model type='e1000e'/></interface>
            <interface type='direct'><mac address='52:54:00:00:01:03'/><source dev='eth0' mode='vepa'/><target dev='macvtap0'/></interface>
            <interface type='user'><mac address='52:54:00:00:01:04'/><model type='rtl8139'/></interface>
            <interface type='ethernet'><mac address='52:54:00:00:01:05'/><target dev='mytap0' managed='no'/></interface>
            <interface type='vhostuser'><mac address='52:54:00:00:01:06'/>
              <source type='unix' path='/run/vhost.sock' mode='client'/><model type='virtio'/></interface>
            <interface type='hostdev' managed='yes'><mac address='52:54:00:00:01:07'/>
              <source><address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x1'/></source></interface>
            <interface type='mcast'><mac address='52:54:00:00:01:08'/><source address='230.0.0.1' port='5558'/></interface>
            <interface type='udp'><mac address='52:54:00:00:01:09'/>
              <source address='127.0.0.1' port='11115'><local address='127.0.0.1' port='11116'/></source></interface>
            <interface type='server'><mac address='52:54:00:00:01:0a'/><source address='192.168.0.1' port='5558'/></interface>
            <interface type='client'><mac address='52:54:00:00:01:0b'/><source address='192.168.0.1' port='5558'/></interface>
            <interface type='vdpa'><mac address='52:54:00:00:01:0c'/><source dev='/dev/vhost-vdpa-0'/></interface>
            <interface type='null'><mac address='52:54:00:00:01:0d'/></interface>
          </devices></domain>
        """

    /// A failover pair: the virtio NIC the guest keeps and the hostdev that shares its MAC by design.
    static let teaming = """
        <domain type='qemu'><name>team</name><memory unit='MiB'>512</memory><vcpu>1</vcpu>
          <devices>
            <interface type='network'><mac address='52:54:00:00:02:01'/><source network='lab'/><model type='virtio'/>
              <teaming type='persistent'/><alias name='ua-backup0'/></interface>
            <interface type='hostdev' managed='yes'><mac address='52:54:00:00:02:01'/>
              <source><address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></source>
              <teaming type='transient' persistent='ua-backup0'/></interface>
          </devices></domain>
        """

    /// A domain as libvirt writes one: everything `DomainConfig` does not read around what it
    /// does (features, clock, controllers, consoles, a description with markup, vnetctl's metadata),
    /// and `<interface>`-like names where they are not NICs.
    static let asLibvirtWritesIt = """
        <domain type='kvm' id='7'>
          <name>written</name>
          <uuid>0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f</uuid>
          <description>a &lt;test&gt; &amp; <![CDATA[<more>]]></description>
          <metadata>
            <other:thing xmlns:other='urn:other'><interface type='network'/></other:thing>
            <vnetctl:domain xmlns:vnetctl='https://vnetctl.dev/xmlns/vnetctl/1' template='pxe' topology='lab'/>
          </metadata>
          <memory unit='KiB'>1048576</memory>
          <currentMemory unit='KiB'>1048576</currentMemory>
          <vcpu placement='static'>2</vcpu>
          <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type><boot dev='network'/></os>
          <features><acpi/><apic/></features>
          <cpu mode='custom' match='exact' check='none'><model fallback='forbid'>qemu64</model></cpu>
          <clock offset='utc'><timer name='rtc' tickpolicy='catchup'/></clock>
          <!-- a comment libvirt keeps -->
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
            <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
              <source file='/var/lib/libvirt/images/w.qcow2'/><target dev='vda' bus='virtio'/><transient/></disk>
            <controller type='usb' index='0' model='qemu-xhci'><address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/></controller>
            <controller type='pci' index='0' model='pcie-root'/>
            <interface type='network'><mac address='52:54:00:AA:00:01'/><source network='lab'/>
              <target dev='vnet9'/><model type='virtio'/><alias name='net0'/>
              <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></interface>
            <serial type='pty'><target type='isa-serial' port='0'><model name='isa-serial'/></target></serial>
            <console type='pty'><target type='serial' port='0'/></console>
            <channel type='unix'><source mode='bind'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
            <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x05' slot='0x00' function='0x0'/></source></hostdev>
            <memballoon model='virtio'><address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/></memballoon>
          </devices>
          <seclabel type='dynamic' model='dac' relabel='yes'/>
        </domain>
        """

    /// Two NICs with one MAC and no teaming between them: a real duplicate.
    static let sameMACTwice = """
        <domain type='qemu'><name>twice</name><memory unit='GiB'>1</memory><vcpu>1</vcpu>
          <devices>
            <interface type='network'><mac address='52:54:00:00:03:01'/><source network='lab'/></interface>
            <interface type='bridge'><mac address='52:54:00:00:03:01'/><source bridge='br0'/></interface>
          </devices></domain>
        """
}
