package ipvs

// Generic netlink commands and attributes of the IPVS family, from include/uapi/linux/ip_vs.h.
const (
	familyName    = "IPVS"
	familyVersion = 1 // IPVS_GENL_VERSION

	cmdNewService = 1
	cmdSetService = 2
	cmdDelService = 3
	cmdGetService = 4
	cmdNewDest    = 5
	cmdSetDest    = 6
	cmdDelDest    = 7
	cmdGetDest    = 8
	cmdNewDaemon  = 9
	cmdDelDaemon  = 10
	cmdGetDaemon  = 11
	cmdSetConfig  = 12
	cmdGetConfig  = 13
	cmdGetInfo    = 15
	cmdFlush      = 17

	// IPVS_CMD_ATTR_*
	attrService       = 1
	attrDest          = 2
	attrDaemon        = 3
	attrTimeoutTCP    = 4
	attrTimeoutTCPFin = 5
	attrTimeoutUDP    = 6

	// IPVS_SVC_ATTR_*
	svcAF        = 1
	svcProtocol  = 2
	svcAddr      = 3
	svcPort      = 4
	svcFwmark    = 5
	svcSchedName = 6
	svcFlags     = 7
	svcTimeout   = 8
	svcNetmask   = 9
	svcStats     = 10
	svcPEName    = 11
	svcStats64   = 12

	// IPVS_DEST_ATTR_*
	destAddr         = 1
	destPort         = 2
	destFwdMethod    = 3
	destWeight       = 4
	destUThresh      = 5
	destLThresh      = 6
	destActiveConns  = 7
	destInactConns   = 8
	destPersistConns = 9
	destStats        = 10
	destAddrFamily   = 11
	destStats64      = 12
	destTunType      = 13
	destTunPort      = 14
	destTunFlags     = 15

	// IPVS_DAEMON_ATTR_*
	daemonState      = 1
	daemonMcastIfn   = 2
	daemonSyncID     = 3
	daemonSyncMaxLen = 4
	daemonMcastGroup = 5
	daemonMcastGrp6  = 6
	daemonMcastPort  = 7
	daemonMcastTTL   = 8

	// IPVS_STATS_ATTR_*
	statsConns    = 1
	statsInPkts   = 2
	statsOutPkts  = 3
	statsInBytes  = 4
	statsOutBytes = 5
	statsCPS      = 6
	statsInPPS    = 7
	statsOutPPS   = 8
	statsInBPS    = 9
	statsOutBPS   = 10

	// IPVS_INFO_ATTR_*
	infoVersion     = 1
	infoConnTabSize = 2

	fwdMask = 0x0007 // IP_VS_CONN_F_FWD_MASK
)
