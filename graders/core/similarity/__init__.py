"""`grade similar`: find copied work across a batch, offline.

    find_similar(assignment, inputs, outdir) -> SimilarityResult   (api.py)

How: every student's code (.py files and notebook code cells alike) is
tokenized and normalised (tokens.py), its k-gram hashes winnowed (winnow.py),
and its AST cut into normalised subtrees (structure.py); derivation blocks
become normalised LaTeX steps (latex.py); profile.py keeps each fingerprint
with its file, lines and function. index.py weighs fingerprints by how rare
they are (starter code and the cohort's common formula weigh nothing), finds
candidate pairs through postings of rare fingerprints and scores them;
evidence.py says where a pair agrees; outputs.py writes similarity.csv and
side-by-side HTML pages. Student code is never run.
"""
from graders.core.similarity.api import SimilarityResult, find_similar

__all__ = ["SimilarityResult", "find_similar"]
