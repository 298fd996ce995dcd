;; Writes storage, then reverts with a message: failed receipt "revert: nope", write discarded.
(module
  (import "env" "storage_set_i64" (func $set (param i32 i64)))
  (import "env" "revert" (func $revert (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "nope")
  (func (export "run") (call $set (i32.const 0) (i64.const 9)) (call $revert (i32.const 100) (i32.const 4))))
