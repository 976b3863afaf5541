// Package simulator is a simulated Gcore IAM API for tests, demos and
// rehearsals. It serves one endpoint, as the real API does:
//
//	GET /iam/clients/{clientId}/client-users/{userId}
//	Authorization: APIKey <key>
//
// The responses come from a Directory of accounts, users and groups:
//
//   - 200 {"user_role":{"id":1,"name":"Administrators"}} when the user is in
//     the account; the name is the group's name in the directory.
//   - 401 when the Authorization header is missing, does not start with the
//     word APIKey (any case) and one space, carries an empty key, or carries
//     another key than Options.Key.
//   - 403 when the account is marked forbidden, for every user ID in it.
//   - 404 when the account or the user is not in the directory.
//   - 400 when an ID in the path is not a positive integer of digits only.
//   - 404 for every other path and 405 for every other method.
//
// Every error response has a JSON body {"message":"..."}. Options add a fixed
// latency, a token-bucket rate limit that responds 429 with Retry-After, and a
// share of random 500, 502 and 503 responses. Faults in the directory script
// odd responses for single pairs.
//
// Every request first waits Options.Latency. Then the checks run in this
// order, and the first that fails decides the response: route and method,
// the IDs, the key, the rate limit, the random errors, the pair's faults,
// and finally the directory.
//
// # Directory file
//
// A directory file is one JSON object. Unknown fields, trailing data and
// values of the wrong type are errors that name the line and column, and the
// checks after decoding name the entry, such as accounts[2].users[0].
//
//	{
//	  "groups": [
//	    {"id": 4242, "name": "Billing viewers"}
//	  ],
//	  "accounts": [
//	    {"id": 5001, "name": "Acme", "users": [
//	      {"id": 42, "group": 1, "email": "ana@example.com", "name": "Ana Ruiz"},
//	      {"id": 43, "group": 4242}
//	    ]},
//	    {"id": 5002, "name": "Globex", "forbidden": true}
//	  ],
//	  "faults": [
//	    {"client_id": 5001, "user_id": 43, "status": 503, "retry_after": "2", "times": 2},
//	    {"client_id": 5001, "user_id": 42, "delay": "5s"}
//	  ]
//	}
//
// groups (optional) adds groups to DefaultGroups or renames a default group
// with the same ID. Each entry needs a positive id and a non-empty name, and
// an id may appear once.
//
// accounts lists the accounts. Each has a positive id that appears once, an
// optional name, optional "forbidden": true, and users. A user has a
// positive id that appears once in its account and the id of a defined
// group. The optional email and name are notes for people reading the file,
// and the server never sends them.
//
// # Faults
//
// faults (optional) scripts responses for single pairs. A fault needs a
// positive client_id and user_id; the pair does not have to be in accounts.
// The other fields are all optional:
//
//   - times: how many requests for the pair get this fault before it is used
//     up; 0, the default, means every request.
//   - status: the HTTP status to send, 200 to 599; 0 keeps the pair's normal
//     status.
//   - body: the raw body to send, even "" or text that is not JSON. Without
//     body the server sends the pair's normal body when the status is the
//     normal one, and {"message":"simulated <status> response"} otherwise.
//   - body_bytes: pads the body with trailing spaces to this many bytes, at
//     most 1 GiB, so a valid JSON response can exceed a client's size cap.
//   - content_type: the Content-Type header; application/json by default.
//   - retry_after: the Retry-After header, sent verbatim, so a number of
//     seconds, an HTTP date or an unparseable value all work.
//   - location: the Location header, for redirects such as status 302.
//   - delay: a Go duration such as "200ms" to wait before responding; the
//     wait ends early, without a response, when the request is cancelled.
//   - body_delay: a Go duration to wait after the headers before the body.
//   - disconnect: "reset" closes the connection with a TCP reset before any
//     response, "close" closes it cleanly before any response, and "mid_body"
//     sends the headers with the full Content-Length and half of the body,
//     then closes the connection.
//
// Faults for one pair form a queue in file order: each request takes the
// first fault that still has uses left. A fault with times 0 never runs out,
// so a later fault for the same pair would never apply and is an error. When
// every fault of a pair is used up, the pair gets its normal response again.
// Each Server keeps its own counts, so two servers made from one Directory
// replay the same script.
//
// Go's http.Transport resends a GET by itself when a reused keep-alive
// connection fails before any response byte, so one client call can use two
// "reset" or "close" faults.
package simulator
