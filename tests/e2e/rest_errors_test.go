package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/assay-network/assay/x/subnet/types"
)

// restCase is one GET and what the REST gateway must answer: the HTTP
// status and, for an error, a word of the message (the argument's name).
type restCase struct {
	path   string
	status int
	names  string
}

// restRoutes lists every assay REST route (its proto google.api.http
// template) with the requests to send it. {n}, {h}, {a} in a path stand
// for the test's registered netuid, hotkey and an unknown account.
//
// Two answers are by design: a hotkey with no pending commits has an empty
// list (the validator asks for its own commits on every restart, registered
// or not), and a query parameter the gateway cannot parse is 400 with a
// message naming the value only (grpc-gateway v1's query parser, shared by
// every module, does not name the parameter).
func restRoutes() map[string][]restCase {
	const bad = http.StatusBadRequest
	const missing = http.StatusNotFound
	// netuidCases are the bad and missing netuids of a route under
	// /subnets/{netuid}: rest is the path after the netuid.
	netuidCases := func(prefix, rest string) []restCase {
		return []restCase{
			{prefix + "/{n}" + rest, http.StatusOK, ""},
			{prefix + "/0" + rest, bad, "netuid"},
			{prefix + "/65536" + rest, bad, "netuid"},
			{prefix + "/abc" + rest, bad, "netuid"},
			{prefix + "/-1" + rest, bad, "netuid"},
			{prefix + "/999" + rest, missing, "netuid 999"},
			emptyNetuid(prefix, rest),
		}
	}
	hotkeyCases := func(rest string, unknown int) []restCase {
		const p = "/assay/subnet/v1/subnets"
		cases := netuidCases(p, "/hotkeys/{h}"+rest)
		return append(cases,
			restCase{p + "/{n}/hotkeys/garbage" + rest, bad, "hotkey"},
			restCase{p + "/{n}/hotkeys/{h}x" + rest, bad, "hotkey"},
			restCase{p + "/{n}/hotkeys/{a}" + rest, unknown, "hotkey"},
			restCase{p + "/{n}/hotkeys/" + rest, bad, "hotkey"},
		)
	}
	uidCases := func(rest string) []restCase {
		const p = "/assay/subnet/v1/subnets"
		cases := netuidCases(p, "/neurons/0"+rest)
		return append(cases,
			restCase{p + "/{n}/neurons/abc" + rest, bad, "uid"},
			restCase{p + "/{n}/neurons/-1" + rest, bad, "uid"},
			restCase{p + "/{n}/neurons/999" + rest, missing, "uid 999"},
			restCase{p + "/{n}/neurons/" + rest, bad, "uid"},
		)
	}
	addressCases := func(p string) []restCase {
		return []restCase{
			{p + "/{a}", http.StatusOK, ""},
			{p + "/garbage", bad, "address"},
			{p + "/{a}x", bad, "address"},
			{p + "/", bad, "address"},
		}
	}
	// modelCases: the test's subnet has published no model, so a well-formed
	// hash on it is 404 naming model_hash.
	modelCases := func() []restCase {
		const p = "/assay/subnet/v1/subnets"
		h := "/models/" + strings.Repeat("ab", 32)
		return append(netuidCases(p, h)[1:],
			restCase{p + "/{n}" + h, missing, "model_hash"},
			restCase{p + "/{n}/models/xyz", bad, "model_hash"},
			restCase{p + "/{n}/models/" + strings.Repeat("g", 64), bad, "model_hash"},
			restCase{p + "/{n}/models/", bad, "model_hash"},
		)
	}
	ok := func(p string) []restCase { return []restCase{{p, http.StatusOK, ""}} }
	const s, e = "/assay/subnet/v1", "/assay/emission/v1"
	return map[string][]restCase{
		s + "/params":                                       ok(s + "/params"),
		s + "/subnets":                                      append(ok(s+"/subnets"), restCase{s + "/subnets?pagination.limit=abc", bad, "abc"}),
		s + "/subnets/{netuid}":                             netuidCases(s+"/subnets", ""),
		s + "/subnets/{netuid}/neurons/{uid}":               uidCases(""),
		s + "/subnets/{netuid}/hotkeys/{hotkey}":            hotkeyCases("", missing),
		s + "/subnets/{netuid}/metagraph":                   netuidCases(s+"/subnets", "/metagraph"),
		s + "/subnets/{netuid}/registration_cost":           netuidCases(s+"/subnets", "/registration_cost"),
		s + "/lock_cost":                                    ok(s + "/lock_cost"),
		s + "/stake/{address}":                              addressCases(s + "/stake"),
		s + "/subnets/{netuid}/hotkeys/{hotkey}/stake":      hotkeyCases("/stake", missing),
		s + "/subnets/{netuid}/hotkeys/{hotkey}/delegators": hotkeyCases("/delegators", missing),
		s + "/subnets/{netuid}/neurons/{uid}/weights":       uidCases("/weights"),
		s + "/unbondings/{address}":                         addressCases(s + "/unbondings"),
		s + "/subnets/{netuid}/hotkeys/{hotkey}/commits":    hotkeyCases("/commits", http.StatusOK),
		s + "/subnets/{netuid}/models/{model_hash}":         modelCases(),
		e + "/params":                                       ok(e + "/params"),
		e + "/schedule":                                     ok(e + "/schedule"),
		e + "/subnets/{netuid}":                             netuidCases(e+"/subnets", ""),
		e + "/subnets/{netuid}/history":                     append(netuidCases(e+"/subnets", "/history"), restCase{e + "/subnets/{n}/history?limit=abc", bad, "abc"}),
		e + "/rewards/{address}":                            addressCases(e + "/rewards"),
		e + "/supply":                                       ok(e + "/supply"),
	}
}

// emptyNetuid is the request with the netuid left out. The gateway folds
// the empty segment, so a path with one segment after the netuid parses
// that segment as the netuid (400), and a longer one matches no route: the
// gateway's own 501 (Unimplemented), which no query server sees.
func emptyNetuid(prefix, rest string) restCase {
	if strings.Count(rest, "/") > 1 {
		return restCase{prefix + "/" + rest, http.StatusNotImplemented, ""}
	}
	return restCase{prefix + "/" + rest, http.StatusBadRequest, "netuid"}
}

// protoRoutes reads the GET templates of every method of the assay Query
// services from the linked proto descriptors, so that a route added to a
// .proto without a case in restRoutes fails the test.
func protoRoutes(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, svc := range []protoreflect.FullName{"assay.subnet.v1.Query", "assay.emission.v1.Query"} {
		d, err := protoregistry.GlobalFiles.FindDescriptorByName(svc)
		require.NoError(t, err, svc)
		methods := d.(protoreflect.ServiceDescriptor).Methods()
		for i := range methods.Len() {
			m := methods.Get(i)
			rule, _ := proto.GetExtension(m.Options(), annotations.E_Http).(*annotations.HttpRule)
			require.NotEmpty(t, rule.GetGet(), "%s has no GET route", m.FullName())
			out = append(out, rule.GetGet())
		}
	}
	return out
}

// TestRESTBadArguments walks every assay REST route with bad arguments: a
// bad argument is 400 (gRPC InvalidArgument) and a missing subnet, neuron or
// hotkey 404 (NotFound), each with a message naming the argument; never 500.
func TestRESTBadArguments(t *testing.T) {
	c := NewChain(t, nil)
	owner := c.Val.Address
	res := c.Broadcast(c.Val.Moniker, &types.MsgRegisterSubnet{Owner: owner.String(), Name: "rest", TaskSpec: germanCreditTask(t)})
	require.Zero(t, res.Code, res.RawLog)
	const netuid = "1"
	c.NewKey("rest-hot")
	c.RegisterNeurons(1, "rest-hot")
	hotkey := c.Addr("rest-hot").String()
	unknown := c.NewKey("rest-nobody").String()

	routes := restRoutes()
	declared := protoRoutes(t)
	listed := make([]string, 0, len(routes))
	for r := range routes {
		listed = append(listed, r)
	}
	slices.Sort(declared)
	slices.Sort(listed)
	require.Equal(t, declared, listed, "every proto REST route has cases here, and only those")

	fill := strings.NewReplacer("{n}", netuid, "{h}", hotkey, "{a}", unknown)
	for _, route := range listed {
		for _, tc := range routes[route] {
			path := fill.Replace(tc.path)
			t.Run(tc.path, func(t *testing.T) {
				resp, err := http.Get(c.Val.APIAddress + path)
				require.NoError(t, err)
				defer resp.Body.Close()
				body, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				require.Equal(t, tc.status, resp.StatusCode, "GET %s: %s", path, body)
				if tc.status == http.StatusOK {
					return
				}
				var msg struct {
					Message string `json:"message"`
				}
				require.NoError(t, json.Unmarshal(body, &msg), string(body))
				require.Contains(t, msg.Message, tc.names, "GET %s", path)
			})
		}
	}
}
