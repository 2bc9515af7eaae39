# Flags of the Mesos master, as shell: sourced by /opt/mesos/bin/mesos-daemon (systemd unit mesos-master).
# Each line `export MESOS_<flag>=value` sets the flag --<flag>; see `mesos master --help` for all of them.
# The name after MESOS_ is not case-sensitive (MESOS_work_dir = MESOS_WORK_DIR): set each flag only once.
# Flags given on the command line (ExecStart) win over these.

# Where the master keeps its event log (SQLite by default). The unit creates this directory for the mesos user.
export MESOS_work_dir=/var/lib/mesos/master

# Port of the web UI and the APIs (frameworks, agents, operators).
#export MESOS_port=5050

# Address to bind to, and the name the master advertises.
#export MESOS_ip=0.0.0.0
#export MESOS_hostname=master_node_name

# Name of the cluster, shown in the web UI.
#export MESOS_cluster=production
