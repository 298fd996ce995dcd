;; Tries to see a previous call through memory and globals: reads memory at 512 (written by the
;; host) and 600 (written by wasm stores) and a mutable global, stores all three, then dirties
;; them. Every call must see the post-instantiation state (slots 0 and 2 = 0, slot 1 = 1),
;; whether instances are fresh or reused.
(module
  (import "env" "storage_set_i64" (func $set (param i32 i64)))
  (import "env" "caller" (func $caller (param i32)))
  (memory (export "memory") 1)
  (global $g (mut i64) (i64.const 0))
  (data (i32.const 95) "\01")
  (data (i32.const 159) "\02")
  (func (export "run")
    (global.set $g (i64.add (global.get $g) (i64.const 1)))
    (call $set (i32.const 0) (i64.load (i32.const 512)))
    (call $set (i32.const 64) (global.get $g))
    (call $set (i32.const 128) (i64.add (i64.load (i32.const 600)) (i64.load8_u (i32.const 700))))
    (call $caller (i32.const 512))
    (i64.store (i32.const 600) (i64.const 0xdead))
    (i32.store8 (i32.const 700) (i32.const 7))
    (i32.store16 (i32.const 702) (i32.const 7))
    (i32.store (i32.const 704) (i32.const 7))))
