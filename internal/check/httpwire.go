package check

import (
	"bytes"
	"net/netip"
	"strconv"
)

// BuildHTTPRequest returns keepalived's exact GET request (check_http.c
// request_template): no headers beyond User-Agent, optional
// "Connection: close" (http_protocol 1.0C and 1.1) and Host. Host is the
// virtual host when one is set, otherwise the target address with its port
// always appended, IPv6 literals in brackets (RFC 2732).
func BuildHTTPRequest(path string, proto HTTPProtocol, vhost string, target netip.AddrPort) []byte {
	var b bytes.Buffer
	b.WriteString("GET ")
	b.WriteString(path)
	if proto == HTTP11 {
		b.WriteString(" HTTP/1.1\r\n")
	} else {
		b.WriteString(" HTTP/1.0\r\n")
	}
	b.WriteString("User-Agent: KeepAliveClient\r\n")
	if proto == HTTP10C || proto == HTTP11 {
		b.WriteString("Connection: close\r\n")
	}
	b.WriteString("Host: ")
	if vhost != "" {
		b.WriteString(vhost)
	} else {
		ip := target.Addr().Unmap()
		if ip.Is6() {
			b.WriteByte('[')
			b.WriteString(ip.String())
			b.WriteByte(']')
		} else {
			b.WriteString(ip.String())
		}
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(int(target.Port())))
	}
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

// httpHead is what the checker needs from a response header.
type httpHead struct {
	Status        int   // 0 when the status line has no code
	ContentLength int64 // -1 when absent or invalid
	BodyStart     int   // offset of the body in the buffer
}

// parseHTTPHead parses the status line and headers in buf, as keepalived's
// extract_html/extract_status_code/extract_content_length do: the header ends
// at the first empty line ("\r\n\r\n", or "\n\n" from sloppy servers), the
// status is the number after the first space of the first line, and
// Content-Length is matched case-insensitively. ok is false until the end
// of the header is in buf.
func parseHTTPHead(buf []byte) (h httpHead, ok bool) {
	end, sep := bytes.Index(buf, []byte("\r\n\r\n")), 4
	if i := bytes.Index(buf, []byte("\n\n")); i >= 0 && (end < 0 || i < end) {
		end, sep = i, 2
	}
	if end < 0 {
		return httpHead{}, false
	}
	h = httpHead{ContentLength: -1, BodyStart: end + sep}
	head := buf[:end]
	line, rest, _ := bytes.Cut(head, []byte("\n"))
	line = bytes.TrimRight(line, "\r")
	if _, after, found := bytes.Cut(line, []byte(" ")); found {
		after = bytes.TrimLeft(after, " ")
		n := 0
		for n < len(after) && n < 3 && after[n] >= '0' && after[n] <= '9' {
			n++
		}
		if n == 3 {
			h.Status, _ = strconv.Atoi(string(after[:3]))
		}
	}
	for len(rest) > 0 {
		var l []byte
		l, rest, _ = bytes.Cut(rest, []byte("\n"))
		l = bytes.TrimRight(l, "\r")
		name, val, found := bytes.Cut(l, []byte(":"))
		if !found || !bytes.EqualFold(bytes.TrimSpace(name), []byte("Content-Length")) {
			continue
		}
		if n, err := strconv.ParseInt(string(bytes.TrimSpace(val)), 10, 64); err == nil && n >= 0 {
			h.ContentLength = n
		}
	}
	return h, true
}
