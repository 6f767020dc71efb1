"""Arguments: for, against or nuancing the debate's question, with typed sources, answers, endorsements."""
