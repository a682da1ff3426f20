// Hands the matmul and the softmax to Tessel, leaves the rest.
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %mm = transform.structured.match ops{["linalg.matmul", "linalg.softmax"]} in %root
        : (!transform.any_op) -> !transform.any_op
    %spec = transform.tessel.import %mm : (!transform.any_op) -> !transform.any_op
    %calls = transform.tessel.synthesize %spec {target = "avx512", threads = 1}
        : (!transform.any_op) -> !transform.any_op
    transform.debug.emit_remark_at %calls, "synthesized" : !transform.any_op
    transform.yield
  }
}
