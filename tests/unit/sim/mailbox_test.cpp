#include "coordsim/sim/mailbox.hpp"

#include <gtest/gtest.h>

#include "coordsim/sim/execution.hpp"

namespace coordsim::sim {
namespace {

TEST(Mailbox, DeliversBySenderOrderThenPostOrder) {
  Mailbox<int> mailbox(3, 2);
  mailbox.post(2, 0, 20);
  mailbox.post(0, 0, 1);
  mailbox.post(0, 0, 2);
  mailbox.post(1, 1, 10);
  EXPECT_EQ(mailbox.inbox(0).size(), 0u) << "nothing is readable before delivery";
  mailbox.deliver();
  const auto inbox = mailbox.inbox(0);
  ASSERT_EQ(inbox.size(), 3u);
  EXPECT_EQ(inbox[0].sender, 0u);
  EXPECT_EQ(inbox[0].message, 1);
  EXPECT_EQ(inbox[1].message, 2);
  EXPECT_EQ(inbox[2].sender, 2u);
  ASSERT_EQ(mailbox.inbox(1).size(), 1u);
  EXPECT_EQ(mailbox.inbox(1)[0].message, 10);
}

TEST(Mailbox, NextDeliveryReplacesThePreviousInbox) {
  Mailbox<int> mailbox(1, 1);
  mailbox.post(0, 0, 5);
  mailbox.deliver();
  mailbox.post(0, 0, 6);
  ASSERT_EQ(mailbox.inbox(0).size(), 1u);
  EXPECT_EQ(mailbox.inbox(0)[0].message, 5) << "posting does not disturb what is being read";
  mailbox.deliver();
  ASSERT_EQ(mailbox.inbox(0).size(), 1u);
  EXPECT_EQ(mailbox.inbox(0)[0].message, 6);
  mailbox.deliver();
  EXPECT_EQ(mailbox.inbox(0).size(), 0u);
}

TEST(Mailbox, ConcurrentPostingGivesTheSameInboxAsSerialPosting) {
  constexpr std::size_t senders = 5000, recipients = 37;
  auto fill = [&](int threads) {
    const ExecutionContext execution(threads);
    Mailbox<std::size_t> mailbox(senders, recipients);
    execution.for_each(senders, 16, [&](std::size_t s) {
      for (std::size_t k = 0; k < s % 4; ++k) mailbox.post(s, (s * 7 + k) % recipients, s * 10 + k);
    });
    mailbox.deliver();
    std::vector<std::size_t> flat;
    for (std::size_t r = 0; r < recipients; ++r)
      for (const auto& e : mailbox.inbox(r)) flat.push_back(e.message);
    return flat;
  };
  const auto serial = fill(1);
  EXPECT_EQ(serial.size(), 5000u / 4 * (0 + 1 + 2 + 3));
  EXPECT_EQ(fill(2), serial);
  EXPECT_EQ(fill(4), serial);
}

}  // namespace
}  // namespace coordsim::sim
