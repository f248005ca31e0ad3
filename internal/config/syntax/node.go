package syntax

// Node is one logical configuration line after preprocessing, with the block it opened, if any.
//
// keepalived decides what a line means from its first token (the keyword) looked up in the table of the
// block it appears in. The syntax layer does not know those tables; it only builds the tree that the
// braces describe, which is the same for every keyword.
type Node struct {
	// Pos is where the line starts.
	Pos Pos
	// Args are the line's tokens with double quotes removed; Args[0] is the keyword.
	Args []string
	// Raw is the logical line after comment removal, conditionals and parameter expansion, cut
	// at the first '{' or '}' outside double quotes, before tokenising. Keywords that keepalived
	// re-parses with shell-like quoting (script, notify*, misc_path, quorum_up/down) pass it to
	// SplitQuoted.
	Raw string
	// HasBlock reports that a '{' followed the keyword (on the same line or the next one).
	HasBlock bool
	// Block holds the lines inside the braces, in order.
	Block []*Node
}

// Keyword returns the first token, or "" for an empty node.
func (n *Node) Keyword() string {
	if len(n.Args) == 0 {
		return ""
	}
	return n.Args[0]
}
