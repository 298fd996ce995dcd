;; Writes storage, then loads far beyond its one page: trap, writes discarded.
(module
  (import "env" "storage_set_i64" (func $set (param i32 i64)))
  (memory (export "memory") 1)
  (func (export "run")
    (call $set (i32.const 0) (i64.const 7))
    (drop (i64.load (i32.const 0xFFFFFFF0)))))
