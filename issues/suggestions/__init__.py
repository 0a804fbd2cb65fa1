"""
Suggestions from the public: the form at /suggest/ (``forms``, ``views``), the rules
for taking one in and deciding on it (``services``) and its admin (``admin``).
"""
