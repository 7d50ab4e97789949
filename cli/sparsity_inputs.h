// The token sequences `einsim sparsity` and the edge `simulate` measure on, from an --input spec:
//   synth:rho=R[,seed=S][,scale=C]
//                              seeded synthetic Q/K/V, uniform in [-1, 1]; each query channel is an
//                              AR(1) process along the tokens with correlation R (see
//                              einsum/attention_check.h); K multiplied by C (a softmax scale such
//                              as 1/sqrt(E), folded into K); extents from --shape (B, H, E, F and
//                              M = the number of tokens)
//   npy:Q.npy,K.npy,V.npy      the user's tensors: Q [B,H,E,N], K [B,Hkv,E,N], V [B,Hkv,F,N]
//                              (einsum/npy.h: little-endian float32/float64, C order)
#pragma once
#include <string>

#include "einsum/cascade.h"
#include "einsum/delta_sequence.h"

namespace cli {

struct SequenceInput {
    einsum::TokenSequence seq;
    std::string description; // e.g. "synth rho=0.9 seed=1" or the three paths
    std::string shape;       // B=..,H=..,E=..,F=..,N=..
};

// Throws einsum::InputError (key path --input or --shape) for a malformed spec or shape.
SequenceInput load_sequence(const std::string& spec, const std::string& shape, const einsum::Cascade& cascade);

} // namespace cli
