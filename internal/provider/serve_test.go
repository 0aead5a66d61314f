package provider

import "testing"

func TestLogsRequested(t *testing.T) {
	for _, tc := range []struct {
		environ []string
		want    bool
	}{
		{nil, false},
		{[]string{"PATH=/usr/bin", "HOME=/root", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE=rc", "CONNXT_SECRET_TOKEN=x"}, false},
		{[]string{"LOGNAME=ops", "MY_TF_LOG=TRACE"}, false}, // only the names Terraform and the SDK read
		{[]string{"TF_LOG=TRACE"}, true},
		{[]string{"TF_LOG=off"}, true}, // set at all: leave the SDK's defaults alone
		{[]string{"TF_LOG="}, true},
		{[]string{"TF_LOG_PROVIDER=DEBUG"}, true},
		{[]string{"TF_LOG_PATH=/tmp/tf.log"}, true},
		{[]string{"TF_LOG_CORE=TRACE"}, true},
		{[]string{"TF_LOG_PROVIDER_CONNXT=TRACE"}, true},
		{[]string{"TF_LOG_SDK=TRACE"}, true},
		{[]string{"TF_LOG_SDK_PROTO=TRACE"}, true},
		{[]string{"TF_LOG_SDK_FRAMEWORK=TRACE"}, true},
		{[]string{"TF_LOG_SDK_PROTO_DATA_DIR=/tmp/proto"}, true},
		{[]string{"TF_TEMP_LOG_PATH=/tmp/t.log"}, true},
	} {
		if got := logsRequested(tc.environ); got != tc.want {
			t.Errorf("logsRequested(%q) = %v, want %v", tc.environ, got, tc.want)
		}
	}
}
