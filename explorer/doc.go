// Package explorer is assay-explorer (DESIGN §13): server-rendered pages
// for token holders, read live from a node over gRPC. Every page is built
// from the node's answers at one block height (queries carry the height
// header), so the numbers on a page agree with each other and with
// `assayd q …` at that height; the answers are cached per height, so a page
// view costs the node at most one set of queries per block.
//
// Each page is a plain Go value (Overview, Subnets, Metagraph, Epoch, Account)
// built by a pure function from query responses; the HTML (html/template,
// embedded) and the JSON twin (?format=json) render the same value.
package explorer
