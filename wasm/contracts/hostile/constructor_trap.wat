;; Writes storage, then traps in its constructor: deploy fails, nothing is stored.
(module
  (import "env" "storage_set_i64" (func $set (param i32 i64)))
  (memory (export "memory") 1)
  (func (export "init") (call $set (i32.const 0) (i64.const 42)) unreachable)
  (func (export "run")))
