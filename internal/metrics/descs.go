package metrics

import "github.com/prometheus/client_golang/prometheus"

// Label sets. The keepalived_* ones are mehdy/keepalived-exporter's, so dashboards keep working.
var (
	instanceLabels      = []string{"iname", "intf", "vrid"}
	instanceStateLabels = []string{"iname", "intf", "vrid", "ip_address"}
	nativeLabels        = []string{"iname", "intf", "vrid"}
)

// desc is a shorthand for prometheus.NewDesc without const labels.
func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(name, help, labels, nil)
}

// descs holds every Desc the Collector emits; Describe sends them all, so a pedantic registry
// can check each collected metric against them.
type descs struct {
	up *prometheus.Desc

	// keepalived-exporter compatible, per instance.
	advertsRcvd, advertsSent, becomeMaster, releaseMaster, prioZeroRcvd, prioZeroSent *prometheus.Desc
	stats                                                                             [numStats]*prometheus.Desc
	vrrpState                                                                         *prometheus.Desc
	scriptStatus, scriptState                                                         *prometheus.Desc

	// gokeepalived native.
	buildInfo, startTime, reloads                       *prometheus.Desc
	priority, basePriority, stateSet, drops, sendErrors *prometheus.Desc
	trackerFault, trackerWeight                         *prometheus.Desc
	rsUp, checkerUp                                     *prometheus.Desc
	lvsQuorumUp, lvsAliveWeight, lvsQuorum              *prometheus.Desc
	lvsRSAlive, lvsRSWeight                             *prometheus.Desc

	// IPVS counters per service and destination.
	svcConns, svcPackets, svcBytes *prometheus.Desc
	dstConns, dstPackets, dstBytes *prometheus.Desc
	dstActive, dstInactive         *prometheus.Desc
}

func newDescs() *descs {
	d := &descs{
		up: desc("keepalived_up", "1 when the daemon answered the status query for this scrape, 0 otherwise."),

		advertsRcvd:   desc("keepalived_advertisements_received_total", "VRRP adverts received and accepted by the instance.", instanceLabels...),
		advertsSent:   desc("keepalived_advertisements_sent_total", "VRRP adverts sent by the instance.", instanceLabels...),
		becomeMaster:  desc("keepalived_become_master_total", "Transitions of the instance to MASTER.", instanceLabels...),
		releaseMaster: desc("keepalived_release_master_total", "Transitions of the instance from MASTER to another state.", instanceLabels...),
		prioZeroRcvd:  desc("keepalived_priority_zero_received_total", "Priority 0 adverts (master resigning) received.", instanceLabels...),
		prioZeroSent:  desc("keepalived_priority_zero_sent_total", "Priority 0 adverts (master resigning) sent.", instanceLabels...),
		vrrpState:     desc("keepalived_vrrp_state", "Instance state per virtual address: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT.", instanceStateLabels...),
		scriptStatus:  desc("keepalived_script_status", "vrrp_script result: 1 GOOD, 0 BAD.", "name"),
		scriptState:   desc("keepalived_script_state", "vrrp_script process state: 0 idle, 1 running.", "name"),

		buildInfo:    desc("gokeepalived_build_info", "Always 1; the labels give the gokeepalived and Go versions.", "version", "goversion"),
		startTime:    desc("gokeepalived_start_time_seconds", "Start time of the daemon in seconds since the Unix epoch."),
		reloads:      desc("gokeepalived_reloads_total", "Configuration reloads (SIGHUP) since start."),
		priority:     desc("gokeepalived_vrrp_priority", "Effective VRRP priority of the instance, after tracker weights.", nativeLabels...),
		basePriority: desc("gokeepalived_vrrp_base_priority", "Configured VRRP priority of the instance.", nativeLabels...),
		stateSet:     desc("gokeepalived_vrrp_state", "VRRP state of the instance as a state set: 1 for the current state, 0 for the others.", "iname", "intf", "vrid", "state"),
		drops:        desc("gokeepalived_vrrp_drops_total", "Received VRRP packets dropped by validation, by reason.", "iname", "intf", "vrid", "reason"),
		sendErrors:   desc("gokeepalived_vrrp_send_errors_total", "VRRP adverts that could not be sent.", nativeLabels...),

		trackerFault:  desc("gokeepalived_vrrp_tracker_fault", "1 when the tracker puts the instance in FAULT, 0 otherwise.", "iname", "tracker"),
		trackerWeight: desc("gokeepalived_vrrp_tracker_weight", "Priority change the tracker currently applies to the instance.", "iname", "tracker"),

		rsUp:      desc("gokeepalived_real_server_up", "1 when every checker of the real server is up.", "virtual_server", "real_server"),
		checkerUp: desc("gokeepalived_checker_up", "1 when the checker considers the real server up.", "virtual_server", "real_server", "checker"),

		lvsQuorumUp:    desc("gokeepalived_lvs_quorum_up", "1 while the alive weight of the virtual server meets its quorum.", "virtual_server"),
		lvsAliveWeight: desc("gokeepalived_lvs_alive_weight", "Sum of the weights of the alive real servers of the virtual server.", "virtual_server"),
		lvsQuorum:      desc("gokeepalived_lvs_quorum", "Configured quorum of the virtual server.", "virtual_server"),
		lvsRSAlive:     desc("gokeepalived_lvs_real_server_alive", "1 when the real server is alive in the IPVS table.", "virtual_server", "real_server"),
		lvsRSWeight:    desc("gokeepalived_lvs_real_server_weight", "Effective IPVS weight of the real server.", "virtual_server", "real_server"),

		svcConns:    desc("gokeepalived_lvs_service_connections_total", "Connections IPVS scheduled for the service.", "virtual_server", "service"),
		svcPackets:  desc("gokeepalived_lvs_service_packets_total", "Packets IPVS forwarded for the service, by direction (in, out).", "virtual_server", "service", "direction"),
		svcBytes:    desc("gokeepalived_lvs_service_bytes_total", "Bytes IPVS forwarded for the service, by direction (in, out).", "virtual_server", "service", "direction"),
		dstConns:    desc("gokeepalived_lvs_destination_connections_total", "Connections IPVS scheduled to the destination.", "virtual_server", "service", "real_server"),
		dstPackets:  desc("gokeepalived_lvs_destination_packets_total", "Packets IPVS forwarded to and from the destination, by direction (in, out).", "virtual_server", "service", "real_server", "direction"),
		dstBytes:    desc("gokeepalived_lvs_destination_bytes_total", "Bytes IPVS forwarded to and from the destination, by direction (in, out).", "virtual_server", "service", "real_server", "direction"),
		dstActive:   desc("gokeepalived_lvs_destination_active_connections", "Active (established) connections of the destination.", "virtual_server", "service", "real_server"),
		dstInactive: desc("gokeepalived_lvs_destination_inactive_connections", "Inactive connections of the destination.", "virtual_server", "service", "real_server"),
	}
	for s := statNone + 1; s < numStats; s++ {
		d.stats[s] = desc(statMetric[s], statHelp[s], instanceLabels...)
	}
	return d
}

// all returns every Desc, for Describe.
func (d *descs) all() []*prometheus.Desc {
	out := []*prometheus.Desc{
		d.up, d.advertsRcvd, d.advertsSent, d.becomeMaster, d.releaseMaster, d.prioZeroRcvd,
		d.prioZeroSent, d.vrrpState, d.scriptStatus, d.scriptState, d.buildInfo, d.startTime,
		d.reloads, d.priority, d.basePriority, d.stateSet, d.drops, d.sendErrors, d.trackerFault,
		d.trackerWeight, d.rsUp, d.checkerUp, d.lvsQuorumUp, d.lvsAliveWeight, d.lvsQuorum,
		d.lvsRSAlive, d.lvsRSWeight, d.svcConns, d.svcPackets, d.svcBytes, d.dstConns, d.dstPackets,
		d.dstBytes, d.dstActive, d.dstInactive,
	}
	for s := statNone + 1; s < numStats; s++ {
		out = append(out, d.stats[s])
	}
	return out
}
