;; Hands the host a slot pointer past the end of memory: trap, not a JVM exception.
(module
  (import "env" "storage_set_i64" (func $set (param i32 i64)))
  (memory (export "memory") 1)
  (func (export "run") (call $set (i32.const 65530) (i64.const 1))))
