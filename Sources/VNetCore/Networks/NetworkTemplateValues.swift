/// The values a network template is rendered with, built from a plan.
///
/// Documented for authors of their own templates (`vnetctl templates` lists the shipped ones):
/// `name`, `metadata.{namespace,model,template,version,topology,hasForwards}`,
/// `metadata.forwards[].{protocol,address,hostPorts,guest,guestPorts,vm}` (nat),, `bridge.{name,stp,delay}`, `hostBridge`,
/// `uplink`, `mtu`, `domain`, `dns.hosts[].{ip,hostname}`,
/// `ipv4.{address,prefix,dhcp.{start,end,hosts[].{mac,ip,hostname}}}`, `ipv6.{address,prefix}`.
enum NetworkTemplateValues {
    static func values(for plan: NetworkPlan, template: String, topology: String?) -> TemplateRenderer.Values {
        var metadata: TemplateRenderer.Values = [
            "namespace": VNetMetadata.namespace, "model": plan.model.rawValue, "template": template,
            "version": ToolInfo.version,
        ]
        metadata["topology"] = topology
        if !plan.forwards.isEmpty {
            metadata["hasForwards"] = true
            metadata["forwards"] = ForwardMetadata.templateValues(plan.forwards)
        }
        var values: TemplateRenderer.Values = ["name": plan.name, "metadata": metadata]
        if let bridge = plan.bridge {
            values["bridge"] = ["name": bridge, "stp": "off", "delay": "0"]
        }
        values["hostBridge"] = plan.hostBridge
        values["uplink"] = plan.uplink
        values["mtu"] = plan.mtu.map(String.init)
        values["domain"] = plan.domain
        if let ipv4 = plan.ipv4 {
            var ip: TemplateRenderer.Values = ["address": ipv4.gateway.description, "prefix": String(ipv4.subnet.prefix)]
            if let dhcp = ipv4.dhcp {
                ip["dhcp"] = [
                    "start": dhcp.range.first.description, "end": dhcp.range.last.description,
                    "hosts": dhcp.reservations.map { reservation in
                        var host: TemplateRenderer.Values = ["mac": reservation.mac.description, "ip": reservation.ip.description]
                        host["hostname"] = reservation.hostname
                        return host
                    },
                ] as TemplateRenderer.Values
                let named = dhcp.reservations.filter { $0.hostname != nil }
                if !named.isEmpty {
                    values["dns"] = [
                        "hosts": named.map { ["ip": $0.ip.description, "hostname": $0.hostname ?? ""] }
                    ]
                }
            }
            values["ipv4"] = ip
        }
        if let ipv6 = plan.ipv6 {
            values["ipv6"] = ["address": ipv6.gateway.description, "prefix": String(ipv6.subnet.prefix)]
        }
        return values
    }
}
