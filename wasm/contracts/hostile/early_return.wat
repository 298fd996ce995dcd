;; Returns from inside nested blocks and recurses a bounded amount: must succeed (depth accounting
;; survives return, which the instrumentation turns into a branch).
(module
  (import "env" "storage_set_i64" (func $set (param i32 i64)))
  (memory (export "memory") 1)
  (func $f (param $n i32) (result i32)
    (block $b
      (loop $l
        (if (i32.eqz (local.get $n)) (then (return (i32.const 1))))
        (return (i32.add (call $f (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
    (i32.const 0))
  (func (export "run")
    ;; 60 nested calls twice in a row: would exceed depth 64 if returns leaked depth.
    (call $set (i32.const 0) (i64.extend_i32_u (i32.add (call $f (i32.const 60)) (call $f (i32.const 60)))))))
