package ipvs

import (
	"errors"
	"testing"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/genetlink/genltest"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

var testFamily = genetlink.Family{ID: 0x25, Name: familyName, Version: familyVersion}

// dialFake returns a conn whose kernel is fn.
func dialFake(t *testing.T, fn genltest.Func) *conn {
	t.Helper()
	c, err := newConn(genltest.Dial(genltest.ServeFamily(testFamily, fn)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestNotAvailable(t *testing.T) {
	c := genltest.Dial(func(genetlink.Message, netlink.Message) ([]genetlink.Message, error) {
		return nil, genltest.Error(int(unix.ENOENT))
	})
	defer c.Close()
	if _, err := newConn(c); !errors.Is(err, ErrNotAvailable) {
		t.Fatalf("missing family: %v, want ErrNotAvailable", err)
	}
}

// TestCreateServiceRequest checks the header, flags and payload of a NEW_SERVICE request.
func TestCreateServiceRequest(t *testing.T) {
	s := services[2]
	var got Service
	c := dialFake(t, genltest.CheckRequest(testFamily.ID, cmdNewService, netlink.Request|netlink.Acknowledge,
		func(greq genetlink.Message, _ netlink.Message) ([]genetlink.Message, error) {
			if greq.Header.Version != familyVersion {
				t.Errorf("version %d", greq.Header.Version)
			}
			b, err := nested(greq.Data, attrService)
			if err != nil {
				return nil, err
			}
			e, err := decodeService(b)
			got = e.Service
			// The kernel acknowledges with an empty message of the family's type.
			return []genetlink.Message{{}}, err
		}))
	if err := c.CreateService(s); err != nil {
		t.Fatal(err)
	}
	if !got.Equal(s) {
		t.Fatalf("kernel saw %+v, want %+v", got, s)
	}
}

// TestListAndErrors lists services and destinations from dump replies and surfaces errnos.
func TestListAndErrors(t *testing.T) {
	reply := func(typ uint16, f func(*netlink.AttributeEncoder)) genetlink.Message {
		return genetlink.Message{Data: encode(t, func(ae *netlink.AttributeEncoder) {
			ae.Nested(typ, func(n *netlink.AttributeEncoder) error { f(n); return nil })
		})}
	}
	c := dialFake(t, func(greq genetlink.Message, nreq netlink.Message) ([]genetlink.Message, error) {
		switch greq.Header.Command {
		case cmdGetService:
			if nreq.Header.Flags&netlink.Dump == 0 {
				t.Error("GET_SERVICE without NLM_F_DUMP")
			}
			var out []genetlink.Message
			for _, s := range services {
				out = append(out, reply(attrService, func(ae *netlink.AttributeEncoder) { encodeService(ae, s) }))
			}
			return out, nil
		case cmdGetDest:
			var out []genetlink.Message
			for _, d := range dests {
				out = append(out, reply(attrDest, func(ae *netlink.AttributeEncoder) { encodeDest(ae, INET, d, true) }))
			}
			return out, nil
		case cmdDelDest:
			return nil, genltest.Error(int(unix.ENOENT))
		case cmdSetService:
			return nil, genltest.Error(int(unix.ESRCH))
		}
		return nil, genltest.Error(int(unix.EOPNOTSUPP))
	})
	ss, err := c.Services()
	if err != nil || len(ss) != len(services) {
		t.Fatalf("Services: %d, %v", len(ss), err)
	}
	for i := range ss {
		if !ss[i].Equal(services[i]) {
			t.Errorf("service %d: %+v, want %+v", i, ss[i].Service, services[i])
		}
	}
	ds, err := c.Destinations(services[0].ServiceKey)
	if err != nil || len(ds) != len(dests) {
		t.Fatalf("Destinations: %d, %v", len(ds), err)
	}
	for i := range ds {
		if !ds[i].Equal(dests[i]) {
			t.Errorf("dest %d: %+v, want %+v", i, ds[i].Destination, dests[i])
		}
	}
	if err := c.RemoveDestination(services[0].ServiceKey, dests[0].DestinationKey); !errors.Is(err, unix.ENOENT) {
		t.Errorf("RemoveDestination: %v, want ENOENT", err)
	}
	if err := c.UpdateService(services[0]); !errors.Is(err, unix.ESRCH) {
		t.Errorf("UpdateService: %v, want ESRCH", err)
	}
}

// TestGetService checks the single (non-dump) GET_SERVICE and its ESRCH.
func TestGetService(t *testing.T) {
	c := dialFake(t, func(greq genetlink.Message, nreq netlink.Message) ([]genetlink.Message, error) {
		if greq.Header.Command != cmdGetService || nreq.Header.Flags&netlink.Dump != 0 {
			t.Errorf("command %d flags %v", greq.Header.Command, nreq.Header.Flags)
		}
		b, err := nested(greq.Data, attrService)
		if err != nil {
			return nil, err
		}
		k, err := decodeService(b)
		if err != nil {
			return nil, err
		}
		if k.Port != services[0].Port {
			return nil, genltest.Error(int(unix.ESRCH))
		}
		return []genetlink.Message{{Data: encode(t, func(ae *netlink.AttributeEncoder) {
			ae.Nested(attrService, func(n *netlink.AttributeEncoder) error { encodeService(n, services[0]); return nil })
		})}}, nil
	})
	got, err := c.Service(services[0].ServiceKey)
	if err != nil || !got.Equal(services[0]) {
		t.Fatalf("Service: %+v, %v", got.Service, err)
	}
	k := services[0].ServiceKey
	k.Port++
	if _, err := c.Service(k); !errors.Is(err, unix.ESRCH) {
		t.Fatalf("missing service: %v, want ESRCH", err)
	}
}
