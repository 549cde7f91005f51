"""Civil-society validation of progress reports.

A request puts a report before N validators of the report's secretariat, chosen over sectors,
never the reporter nor anyone of the reporter's organisation nor a paused validator, least
recently asked first. Each validator confirms, disputes or asks for more information; the
reporter's answer to a question is added to the report and the validators are asked again.

A request closes when every validator still asked holds a confirmation or a dispute, or at its
deadline. The outcome follows the quorum the plan's policy had when the request was made:

- validated: at least ``min_confirmations`` confirmations from ``min_sectors`` sectors (and, if
  the policy says so, no more disputes than confirmations);
- disputed: otherwise, more disputes than confirmations;
- inconclusive: otherwise, when everybody answered;
- expired: otherwise, at the deadline.

Silent validators are replaced after the policy's reply time and reminded before the deadline
(``clock.process_due``, run periodically). Every step is an audit event in which validators appear
only by sector and pseudonym (``ledger.pseudonym``); comments are recorded by their SHA-256.
"""
