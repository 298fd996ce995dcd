;; Tries to see a previous call through memory and globals: reads memory at 512 and a mutable
;; global, stores both, then dirties them. Every call must see the post-instantiation state
;; (slot 0 = 0, slot 1 = 1), whether instances are fresh or reused.
(module
  (import "env" "storage_set_i64" (func $set (param i32 i64)))
  (import "env" "caller" (func $caller (param i32)))
  (memory (export "memory") 1)
  (global $g (mut i64) (i64.const 0))
  (data (i32.const 95) "\01")
  (func (export "run")
    (global.set $g (i64.add (global.get $g) (i64.const 1)))
    (call $set (i32.const 0) (i64.load (i32.const 512)))
    (call $set (i32.const 64) (global.get $g))
    (call $caller (i32.const 512))))
