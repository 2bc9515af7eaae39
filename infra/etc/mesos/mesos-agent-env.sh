# Flags of the Mesos agent, as shell: sourced by /opt/mesos/bin/mesos-daemon (systemd unit mesos-agent).
# Each line `export MESOS_<flag>=value` sets the flag --<flag>; see `mesos agent --help` for all of them.
# The name after MESOS_ is not case-sensitive (MESOS_master = MESOS_MASTER): set each flag only once.
# Flags given on the command line (ExecStart) win over these.

# The master to register with, host:port (required).
#export MESOS_master=master_node_name:5050

# Where the agent keeps its checkpoints and the tasks' sandboxes. The unit creates this directory.
export MESOS_work_dir=/var/lib/mesos/agent

# Port of the agent's API.
#export MESOS_port=5051

# Resources to offer; detected from the machine when unset.
#export MESOS_resources='cpus:8;mem:15360;disk:409600;ports:[31000-32000]'

# Attributes that frameworks can match on.
#export MESOS_attributes='rack:r1;zone:west'
