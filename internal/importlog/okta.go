package importlog

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// oktaEvent is one System Log event (/api/v1/logs; the admin console's
// JSON export has the same members).
type oktaEvent struct {
	UUID           string    `json:"uuid"`
	Published      time.Time `json:"published"`
	EventType      string    `json:"eventType"`
	DisplayMessage string    `json:"displayMessage"`
	Outcome        struct {
		Result string `json:"result"` // SUCCESS, FAILURE, SKIPPED, ALLOW, DENY, UNKNOWN
		Reason string `json:"reason"`
	} `json:"outcome"`
	Target []struct {
		ID          string `json:"id"`
		Type        string `json:"type"` // User, AppUser, AppInstance, UserGroup
		AlternateID string `json:"alternateId"`
		DisplayName string `json:"displayName"`
	} `json:"target"`
}

// oktaUser is what the log tells of a user: its Okta id, the app
// username and a display name.
type oktaUser struct{ id, login, name string }

func (e oktaEvent) user() (oktaUser, bool) {
	var u oktaUser
	for _, t := range e.Target {
		switch t.Type {
		case "AppUser":
			u.login = t.AlternateID
			if u.id == "" {
				u.id = t.ID
			}
		case "User":
			u.id, u.name = t.ID, t.DisplayName
			if u.login == "" {
				u.login = t.AlternateID
			}
		}
	}
	return u, u.id != "" && u.login != ""
}

func (e oktaEvent) group() (id, name string, ok bool) {
	for _, t := range e.Target {
		if t.Type == "UserGroup" || t.Type == "AppGroup" {
			return t.ID, t.DisplayName, true
		}
	}
	return "", "", false
}

// Okta reads System Log events and builds the requests Okta's SCIM
// integration sends for the provisioning ones (an OIN integration, as
// fakes/okta sends it): push is a lookup then POST, push_profile a PUT of
// the whole user, deactivate and reactivate a path-less PATCH of active,
// group pushes a POST or DELETE of the group. Other events are left out.
func Okta(r io.Reader) (Result, error) {
	events, err := decodeList[oktaEvent](r, "events")
	if err != nil {
		return Result{}, err
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].Published.Before(events[j].Published) })
	b := newBuilder()
	other := 0
	deactivated := map[string]bool{} // by Okta user id
	for _, e := range events {
		if !strings.HasPrefix(e.EventType, "application.provision.") {
			other++
			continue
		}
		res := strings.ToUpper(e.Outcome.Result)
		if res == "SKIPPED" {
			b.Notes = append(b.Notes, fmt.Sprintf("%s %s: skipped by Okta, nothing was sent", e.Published.Format(time.RFC3339), e.EventType))
			continue
		}
		ok, at := res == "SUCCESS", e.Published
		action := strings.TrimPrefix(e.EventType, "application.provision.")
		if gid, name, isGroup := e.group(); strings.HasPrefix(action, "group_push.") && isGroup {
			switch action {
			case "group_push.pushed":
				b.lookup(at, "Groups", "displayName", name)
				b.add(at, "POST", base+"/Groups", map[string]any{"schemas": []string{groupSchema}, "displayName": name, "members": []any{}},
					b.status(ok, e.Outcome.Reason, 201), map[string]any{"id": gid, "displayName": name})
				continue
			case "group_push.removed":
				b.add(at, "DELETE", base+"/Groups/"+gid, nil, b.status(ok, e.Outcome.Reason, 204), nil)
				continue
			}
		}
		u, isUser := e.user()
		if !isUser || !strings.HasPrefix(action, "user.") {
			b.Notes = append(b.Notes, fmt.Sprintf("%s %s: no request is known for this event (or it names no user), left out", at.Format(time.RFC3339), e.EventType))
			continue
		}
		uri := base + "/Users/" + u.id
		switch action {
		case "user.push":
			b.lookup(at, "Users", "userName", u.login)
			b.add(at, "POST", base+"/Users", oktaBody(u, true), b.status(ok, e.Outcome.Reason, 201), map[string]any{"id": u.id, "userName": u.login})
			b.infer("the Okta user id as the id the target gave (the log does not hold it)")
		case "user.push_profile", "user.sync":
			b.add(at, "PUT", uri, oktaBody(u, !deactivated[u.id]), b.status(ok, e.Outcome.Reason, 200), map[string]any{"id": u.id, "userName": u.login})
			b.infer("a profile from the log's names only (the log holds no attribute values)")
		case "user.deactivate", "user.deprovision":
			deactivated[u.id] = ok || deactivated[u.id]
			b.add(at, "PATCH", uri, patch(map[string]any{"op": "replace", "value": map[string]any{"active": false}}), b.status(ok, e.Outcome.Reason, 200), map[string]any{"id": u.id, "active": false})
		case "user.activate", "user.reactivate":
			deactivated[u.id] = deactivated[u.id] && !ok
			b.add(at, "PATCH", uri, patch(map[string]any{"op": "replace", "value": map[string]any{"active": true}}), b.status(ok, e.Outcome.Reason, 200), map[string]any{"id": u.id, "active": true})
		default:
			b.Notes = append(b.Notes, fmt.Sprintf("%s %s: no request is known for this event, left out", at.Format(time.RFC3339), e.EventType))
		}
	}
	if other > 0 {
		b.Notes = append(b.Notes, fmt.Sprintf("%d events that are not provisioning (application.provision.*) left out", other))
	}
	return b.finish("Okta System"), nil
}

// oktaBody is the user Okta sends: names split from the display name.
func oktaBody(u oktaUser, active bool) map[string]any {
	given, family, _ := strings.Cut(u.name, " ")
	return map[string]any{"schemas": []string{userSchema}, "userName": u.login, "active": active,
		"name":   map[string]any{"givenName": given, "familyName": family},
		"emails": []any{map[string]any{"primary": true, "value": u.login, "type": "work"}}, "displayName": u.name}
}
