package explorer

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// grpcPageError turns a failed query into what the viewer sees: the node's
// "not found" and "invalid argument" are the viewer's 404 and 400 (an
// unknown netuid, a malformed address); a node that does not answer is 503
// with the last height seen; any other answer is 502 with the node's
// message. Never a 500 with a stack.
func grpcPageError(err error, s *Server) *pageError {
	if errors.Is(err, ErrNodeDown) || errors.Is(err, context.DeadlineExceeded) {
		return s.nodeDown(err)
	}
	st, ok := status.FromError(err)
	if !ok {
		return &pageError{Status: http.StatusBadGateway, Msg: err.Error()}
	}
	switch st.Code() {
	case codes.NotFound:
		return &pageError{Status: http.StatusNotFound, Msg: st.Message()}
	case codes.InvalidArgument:
		return &pageError{Status: http.StatusBadRequest, Msg: st.Message()}
	case codes.Unavailable, codes.DeadlineExceeded, codes.Canceled:
		return s.nodeDown(errors.Join(ErrNodeDown, err))
	default:
		return &pageError{Status: http.StatusBadGateway, Msg: "the node answered: " + st.Message()}
	}
}

// quoteParam quotes a query or path parameter for an error message,
// cutting it short so a long one cannot flood the page.
func quoteParam(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strconv.Quote(s)
}
