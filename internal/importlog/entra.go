package importlog

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"
)

// entraEntry is one provisioningObjectSummary (Microsoft Graph
// /auditLogs/provisioning; the portal's JSON download has the same
// members).
type entraEntry struct {
	ActivityDateTime       time.Time `json:"activityDateTime"`
	ProvisioningAction     string    `json:"provisioningAction"`
	ProvisioningStatusInfo struct {
		Status           string `json:"status"` // success, failure, skipped, warning
		ErrorInformation *struct {
			ErrorCode string `json:"errorCode"`
			Reason    string `json:"reason"`
		} `json:"errorInformation"`
	} `json:"provisioningStatusInfo"`
	SourceIdentity     identity `json:"sourceIdentity"`
	TargetIdentity     identity `json:"targetIdentity"`
	ModifiedProperties []struct {
		DisplayName string `json:"displayName"` // the target's attribute
		OldValue    string `json:"oldValue"`
		NewValue    string `json:"newValue"`
	} `json:"modifiedProperties"`
}

type identity struct {
	ID           string `json:"id"`
	DisplayName  string `json:"displayName"`
	IdentityType string `json:"identityType"` // User, Group
}

// Entra reads provisioning logs and builds the requests Entra's
// provisioning job sends for them (the legacy dialect, as fakes/entra
// sends it): a lookup then POST for create, PATCH Replace of each
// modified property for update, active "False" for disable, DELETE for
// delete.
func Entra(r io.Reader) (Result, error) {
	entries, err := decodeList[entraEntry](r, "value")
	if err != nil {
		return Result{}, err
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].ActivityDateTime.Before(entries[j].ActivityDateTime) })
	b := newBuilder()
	for _, e := range entries {
		kind, collection := "user", "Users"
		if strings.EqualFold(e.TargetIdentity.IdentityType, "group") || strings.EqualFold(e.SourceIdentity.IdentityType, "group") {
			kind, collection = "group", "Groups"
		}
		st := strings.ToLower(e.ProvisioningStatusInfo.Status)
		if st == "skipped" {
			b.Notes = append(b.Notes, fmt.Sprintf("%s %s %s: skipped by Entra, nothing was sent", e.ActivityDateTime.Format(time.RFC3339), e.ProvisioningAction, e.SourceIdentity.DisplayName))
			continue
		}
		ok := st == "success" || st == "warning"
		reason := ""
		if ei := e.ProvisioningStatusInfo.ErrorInformation; ei != nil {
			reason = ei.ErrorCode + " " + ei.Reason
		}
		props := map[string]string{}
		var order []string
		for _, p := range e.ModifiedProperties {
			props[p.DisplayName] = p.NewValue
			order = append(order, p.DisplayName)
		}
		id, at, uri := e.TargetIdentity.ID, e.ActivityDateTime, base+"/"+collection+"/"+e.TargetIdentity.ID
		switch strings.ToLower(e.ProvisioningAction) {
		case "create":
			name, attr := props["userName"], "userName"
			if kind == "group" {
				name, attr = props["displayName"], "displayName"
			}
			if name == "" {
				name = e.TargetIdentity.DisplayName
				b.infer("the " + attr + " from targetIdentity.displayName where no modified property names it")
			}
			if id == "" {
				id = "entra-" + e.SourceIdentity.ID
				b.infer("an id for a created resource the log gives none (the source's object id)")
			}
			body := map[string]any{"schemas": []string{userSchema}, attr: name}
			if kind == "group" {
				body["schemas"], body["members"] = []string{groupSchema}, []any{}
			} else {
				body["active"] = true
			}
			for _, k := range order {
				if k != "active" {
					set(body, k, props[k])
				}
			}
			b.lookup(at, collection, attr, name)
			b.add(at, "POST", base+"/"+collection, body, b.status(ok, reason, 201), map[string]any{"id": id, attr: name})
		case "update":
			var ops []map[string]any
			for _, k := range order {
				ops = append(ops, map[string]any{"op": "Replace", "path": k, "value": props[k]})
			}
			if len(ops) == 0 {
				b.Notes = append(b.Notes, fmt.Sprintf("%s update of %s: no modified property, nothing to send", at.Format(time.RFC3339), e.SourceIdentity.DisplayName))
				continue
			}
			b.add(at, "PATCH", uri, patch(ops...), b.status(ok, reason, 200), map[string]any{"id": id})
		case "disable":
			b.add(at, "PATCH", uri, patch(map[string]any{"op": "Replace", "path": "active", "value": "False"}), b.status(ok, reason, 200), map[string]any{"id": id, "active": false})
		case "delete":
			b.add(at, "DELETE", uri, nil, b.status(ok, reason, 204), nil)
		default:
			b.Notes = append(b.Notes, fmt.Sprintf("%s %q of %s: no request is known for this action, left out", at.Format(time.RFC3339), e.ProvisioningAction, e.SourceIdentity.DisplayName))
		}
	}
	return b.finish("Entra provisioning"), nil
}

var valueFilter = regexp.MustCompile(`^(\w+)\[type eq "(\w+)"\]\.(\w+)$`)

// set puts one attribute the log names into a body: "name.givenName",
// `emails[type eq "work"].value`, an extension's "urn:…:User:department",
// or a plain name.
func set(body map[string]any, path, value string) {
	if m := valueFilter.FindStringSubmatch(path); m != nil {
		body[m[1]] = []any{map[string]any{"type": m[2], m[3]: value, "primary": true}}
		return
	}
	if i := strings.LastIndex(path, ":"); strings.HasPrefix(path, "urn:") && i > 0 {
		ext, _ := body[path[:i]].(map[string]any)
		if ext == nil {
			ext = map[string]any{}
			body[path[:i]] = ext
			body["schemas"] = append(body["schemas"].([]string), path[:i])
		}
		ext[path[i+1:]] = value
		return
	}
	if parent, child, ok := strings.Cut(path, "."); ok {
		sub, _ := body[parent].(map[string]any)
		if sub == nil {
			sub = map[string]any{}
			body[parent] = sub
		}
		sub[child] = value
		return
	}
	body[path] = value
}
