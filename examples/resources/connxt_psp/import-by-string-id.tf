# By id, or by "<flow target name or id>/<PSP name>" (split at the first "/").
import {
  to = connxt_psp.sticpay
  id = "Sticpay/sticpay-usd"
}
