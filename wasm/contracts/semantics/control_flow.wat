;; Exercises every control construct the instrumentation rewrites (block/loop/if/else with
;; results, br with values, br_if, br_table, return from nested blocks, call_indirect, select,
;; recursion, memory.grow, sign extension). InstrumentationSemanticsTest runs compute(x) on this
;; module and on its instrumented form: results must be equal for every x.
(module
  (type $unop (func (param i64) (result i64)))
  (memory (export "memory") 1 4)
  (table 3 funcref)
  (elem (i32.const 0) $double $square $negate)
  (func $double (type $unop) (i64.mul (local.get 0) (i64.const 2)))
  (func $square (type $unop) (i64.mul (local.get 0) (local.get 0)))
  (func $negate (type $unop) (i64.sub (i64.const 0) (local.get 0)))

  (func $fib (param $n i64) (result i64)
    (if (i64.lt_u (local.get $n) (i64.const 2)) (then (return (local.get $n))))
    (i64.add (call $fib (i64.sub (local.get $n) (i64.const 1)))
             (call $fib (i64.sub (local.get $n) (i64.const 2)))))

  (func $switch (param $k i32) (result i64)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (local.get $k)))
      (return (i64.const 100)))
      (return (i64.const 200)))
      (return (i64.const 300)))
    (i64.const 400))

  (func $sum_to (param $n i64) (result i64)
    (local $acc i64)
    (block $done (result i64)
      (loop $l
        (local.set $acc (i64.add (local.get $acc) (local.get $n)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br_if $done (local.get $acc) (i64.eqz (local.get $n)))
        (br $l))
      (i64.const -1)))

  (func (export "compute") (param $x i64) (result i64)
    (local $r i64)
    (local.set $r (call $fib (i64.rem_u (local.get $x) (i64.const 15))))
    (local.set $r (i64.add (local.get $r)
      (call $switch (i32.wrap_i64 (i64.rem_u (local.get $x) (i64.const 6))))))
    (local.set $r (i64.add (local.get $r)
      (call_indirect (type $unop) (local.get $x) (i32.wrap_i64 (i64.rem_u (local.get $x) (i64.const 3))))))
    (local.set $r (i64.add (local.get $r)
      (if (result i64) (i64.gt_s (local.get $x) (i64.const 50))
        (then (call $sum_to (local.get $x)))
        (else (select (i64.const 7) (i64.const 9) (i32.wrap_i64 (i64.and (local.get $x) (i64.const 1))))))))
    (i64.store (i32.const 8) (local.get $r))
    (local.set $r (i64.add (i64.load (i32.const 8)) (i64.extend8_s (local.get $x))))
    (if (i64.eq (local.get $x) (i64.const 77))
      (then (local.set $r (i64.add (local.get $r) (i64.extend_i32_s (memory.grow (i32.const 1)))))))
    (local.get $r))

  (func (export "run")))
