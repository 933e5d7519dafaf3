package browser

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// Form is an HTML form found in a page.
type Form struct {
	Method string // upper case; GET when absent
	Action string // resolved against the page URL
	Values url.Values
}

// ParseForms returns the forms in an HTML page, with hidden and text inputs
// and their values, actions resolved against base.
func ParseForms(base *url.URL, page []byte) ([]Form, error) {
	root, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("browser: parse html: %w", err)
	}
	var forms []Form
	var cur *Form
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "form":
				f := Form{Method: strings.ToUpper(attr(n, "method")), Values: url.Values{}}
				if f.Method == "" {
					f.Method = "GET"
				}
				action, err := base.Parse(attr(n, "action"))
				if err == nil {
					f.Action = action.String()
				}
				forms = append(forms, f)
				cur = &forms[len(forms)-1]
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
				cur = nil
				return
			case "input", "textarea":
				if cur != nil && attr(n, "name") != "" && attr(n, "type") != "submit" {
					cur.Values.Add(attr(n, "name"), attr(n, "value"))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return forms, nil
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// bindingForm returns the first POST form carrying a SAML message: the one
// a real browser would auto-submit from the IdP's or SP's onload script.
func bindingForm(forms []Form) (Form, bool) {
	for _, f := range forms {
		if f.Method != "POST" {
			continue
		}
		if f.Values.Has("SAMLResponse") || f.Values.Has("SAMLRequest") {
			return f, true
		}
	}
	return Form{}, false
}
