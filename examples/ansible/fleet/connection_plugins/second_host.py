# A connection to a "host" made by second-host.sh on this machine: the local connection, with every
# command run inside that host's network and mount namespaces (second-host.sh exec NAME ...), so
# that qemu:///system there is that host's libvirtd. Files are shared with this machine, so putting
# and fetching them is the local connection's. For tests and demos only: a real fleet uses ssh.
import shlex

from ansible.plugins.connection.local import Connection as LocalConnection

DOCUMENTATION = """
    name: second_host
    short_description: run commands on a second-host.sh host on this machine
    description:
      - The local connection, with each command run through C(second-host.sh exec NAME).
    author: vnetctl maintainers
    options:
      second_host_name:
        description: The host's name, as given to C(second-host.sh start NAME N).
        default: vnh2
        vars:
          - name: second_host_name
      second_host_script:
        description: The path of second-host.sh.
        default: /work/shared/second-host.sh
        vars:
          - name: second_host_script
"""


class Connection(LocalConnection):
    transport = "second_host"

    def exec_command(self, cmd, in_data=None, sudoable=True):
        wrapped = "bash %s exec %s /bin/sh -c %s" % (
            shlex.quote(self.get_option("second_host_script")),
            shlex.quote(self.get_option("second_host_name")),
            shlex.quote(cmd),
        )
        return super().exec_command(wrapped, in_data=in_data, sudoable=sudoable)
