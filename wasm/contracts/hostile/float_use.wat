;; Uses f64 arithmetic: deploy must be rejected (floats are not deterministic enough to allow).
(module
  (memory (export "memory") 1)
  (func (export "run") (drop (f64.add (f64.const 1.5) (f64.const 2.25)))))
