import {
  to = connxt_psp.sticpay
  id = "psp_gQzyS9RkkknYWFvgnJQj3zSNjP"
}
